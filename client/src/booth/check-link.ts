/**
 * The check link of a ballot (docs/client.md "Receipt check"): `<origin>/poll/<id>/check?tracker=<tracker text>`.
 * The booth shows it as a QR code before casting, the desk prints it on the receipt, and the check
 * page reads it back (check-input.ts).
 */

/** The check link for the tracker text `tracker` of poll `poll` at the server address `origin` (no trailing slash). */
export function checkLinkOf(origin: string, poll: string, tracker: string): string {
  return `${origin.replace(/\/+$/, '')}/poll/${poll}/check?tracker=${tracker}`;
}

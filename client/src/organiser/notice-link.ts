/**
 * The links the printed papers carry (spec §B.1.5.1): the poll fingerprint travels as its 52 symbols,
 * in the query of the notice's check link and after the code in a code sheet's vote link (after #,
 * so neither the code nor the fingerprint reaches the server with the page request).
 */

/** The notice's QR link: the receipt check of this poll, told which fingerprint the notice shows. */
export function noticeCheckLink(origin: string, poll: string, fingerprintSymbols: string): string {
  return `${origin}/poll/${poll}/check?fp=${fingerprintSymbols}`;
}

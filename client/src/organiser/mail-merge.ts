/**
 * The voter codes as a CSV file for mail merge (name, code, link), with a UTF-8 byte order mark so
 * that Excel reads Chinese names right, and CRLF line ends as RFC 4180 has them.
 */

/**
 * The link on a voter's sheet: the code travels after #, so it is never sent to the server; the poll
 * fingerprint (52 symbols, spec §B.1.5.1) follows it as `&fp=`, for the booth to compare with the board.
 */
export function voteLink(origin: string, poll: string, code: string, fingerprintSymbols?: string): string {
  return `${origin}/poll/${poll}/vote#${code}${fingerprintSymbols ? `&fp=${fingerprintSymbols}` : ''}`;
}

function cell(s: string): string {
  // A leading =, +, - or @ would make a spreadsheet read the cell as a formula.
  const safe = /^[=+\-@]/.test(s) ? `'${s}` : s;
  return /[",\r\n]/.test(safe) || safe !== s ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** The file's text, BOM first. */
export function mailMergeCsv(rows: readonly { name: string; code: string; link: string }[]): string {
  const lines = [['name', 'code', 'link'], ...rows.map((r) => [r.name, r.code, r.link])];
  return '\uFEFF' + lines.map((l) => l.map(cell).join(',')).join('\r\n') + '\r\n';
}

/** Offers `text` as a file download named `name`. */
export function downloadText(name: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

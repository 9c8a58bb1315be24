/**
 * The voter codes as a CSV file for mail merge (name, code, link), with a UTF-8 byte order mark so
 * that Excel reads Chinese names right, and CRLF line ends as RFC 4180 has them.
 */
import { csvText } from '../lib/csv.ts';

/**
 * The link on a voter's sheet: the code travels after #, so it is never sent to the server; the poll
 * fingerprint (52 symbols, spec §B.1.5.1) follows it as `&fp=`, for the booth to compare with the board.
 */
export function voteLink(origin: string, poll: string, code: string, fingerprintSymbols?: string): string {
  return `${origin}/poll/${poll}/vote#${code}${fingerprintSymbols ? `&fp=${fingerprintSymbols}` : ''}`;
}

/** The file's text, BOM first. */
export function mailMergeCsv(rows: readonly { name: string; code: string; link: string }[]): string {
  return csvText([['name', 'code', 'link'], ...rows.map((r) => [r.name, r.code, r.link])]);
}

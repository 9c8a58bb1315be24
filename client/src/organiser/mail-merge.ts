/**
 * The voter codes as a CSV file for mail merge (name, code, link), with a UTF-8 byte order mark so
 * that Excel reads Chinese names right, and CRLF line ends as RFC 4180 has them.
 */
import { parseCredentialCode } from '../../../crypto/index.ts';
import { csvText } from '../lib/csv.ts';
import { csvRecords } from './voter-list.ts';

export interface MailMergeRow {
  readonly name: string;
  /** the code in its printed form (six groups of four) */
  readonly code: string;
}

/** A mail-merge file read back: its voters, and how many lines had no readable code. */
export interface MailMergeFile {
  readonly rows: MailMergeRow[];
  readonly unreadable: number;
}

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

/**
 * Reads back a mail-merge file this page saved (or a spreadsheet's copy of it, columns in any order):
 * the rows with a name and a code that parses. Null when the file has no "name" and "code" columns.
 * The ' a spreadsheet-safe cell carries before =, +, - or @ is taken off the name.
 */
export function readMailMerge(text: string): MailMergeFile | null {
  const [header, ...rest] = csvRecords(text);
  if (header === undefined) return null;
  const names = header.cells.map((c) => c.toLowerCase());
  const nameAt = names.indexOf('name');
  const codeAt = names.indexOf('code');
  if (nameAt < 0 || codeAt < 0) return null;
  const rows: MailMergeRow[] = [];
  let unreadable = 0;
  for (const r of rest) {
    const code = parseCredentialCode(r.cells[codeAt] ?? '');
    const name = (r.cells[nameAt] ?? '').replace(/^'(?=[=+\-@])/, '');
    if (code === null || name === '') unreadable += 1;
    else rows.push({ name, code: code.replace(/(.{4})(?!$)/g, '$1-') });
  }
  return { rows, unreadable };
}

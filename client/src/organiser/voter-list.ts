/**
 * The voter list the organiser brings: a CSV file (or lines pasted from a spreadsheet) with a name
 * and an optional weight per voter. Read here, in the browser, and never uploaded: only the public
 * credential keys made from it reach the server (spec §C). Each bad line is kept with its line
 * number and the reason, so that she can fix her file.
 */

/** The most weight one voter can have, and the most a poll's list can add up to (spec §B.1.6.1). */
export const WEIGHT_MAX = 1000;
export const TOTAL_WEIGHT_MAX = 10_000_000;
/** One upload is one board entry of at most this many credentials. */
export const VOTERS_MAX = 100_000;
const NAME_MAX = 200;

export interface VoterRow {
  readonly line: number;
  readonly name: string;
  readonly weight: number;
}

export type LineProblem = 'noName' | 'badWeight' | 'extraColumns' | 'openQuote' | 'longName';

export interface BadLine {
  readonly line: number;
  readonly text: string;
  readonly problem: LineProblem;
}

export interface VoterList {
  readonly voters: VoterRow[];
  readonly bad: BadLine[];
  /** the first line was taken as column names */
  readonly header: boolean;
  /** the file was not UTF-8 and was read as GB18030 (Excel's "CSV" on Chinese Windows) */
  readonly gb18030: boolean;
}

/** Bytes of a file as text: UTF-8 (a BOM is dropped), else GB18030, which Chinese Excel writes. */
export function decodeFile(bytes: Uint8Array): { text: string; gb18030: boolean } {
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), gb18030: false };
  } catch {
    return { text: new TextDecoder('gb18030').decode(bytes), gb18030: true };
  }
}

/** The separator of the list: a tab when pasted from a spreadsheet, else a comma, or a semicolon (some Excel locales). */
function separatorOf(firstLine: string): string {
  if (firstLine.includes('\t')) return '\t';
  if (!firstLine.includes(',') && firstLine.includes(';')) return ';';
  return ',';
}

interface Record {
  readonly line: number;
  readonly text: string;
  readonly cells: string[];
  readonly open: boolean;
}

/** RFC 4180 records: quoted fields may hold separators, doubled quotes and line breaks. */
function records(text: string, sep: string): Record[] {
  const out: Record[] = [];
  let line = 1;
  let i = 0;
  while (i < text.length) {
    const start = line;
    const from = i;
    const cells: string[] = [];
    let cell = '';
    let quoted = false;
    let open = false;
    for (;;) {
      if (i >= text.length) {
        open = quoted;
        cells.push(cell);
        break;
      }
      const c = text[i];
      if (quoted) {
        if (c === '"' && text[i + 1] === '"') {
          cell += '"';
          i += 2;
        } else if (c === '"') {
          quoted = false;
          i += 1;
        } else {
          if (c === '\n') line += 1;
          cell += c;
          i += 1;
        }
      } else if (c === '"' && cell.trim() === '') {
        quoted = true;
        cell = '';
        i += 1;
      } else if (c === sep) {
        cells.push(cell);
        cell = '';
        i += 1;
      } else if (c === '\n' || c === '\r') {
        cells.push(cell);
        i += c === '\r' && text[i + 1] === '\n' ? 2 : 1;
        line += 1;
        break;
      } else {
        cell += c;
        i += 1;
      }
    }
    out.push({ line: start, text: text.slice(from, i).replace(/\r?\n$/, ''), cells: cells.map((x) => x.trim()), open });
  }
  return out;
}

/** The cells of each record of a CSV text that is not blank (the separator found as for a voter list), BOM dropped. */
export function csvRecords(text: string): { readonly line: number; readonly cells: string[] }[] {
  const clean = text.replace(/^\uFEFF/, '');
  return records(clean, separatorOf(clean.split(/\r?\n/, 1)[0] ?? '')).filter((r) => !r.open && r.cells.some((c) => c !== ''));
}

const HEADER_NAMES = /^(name|names|voter|voters|full name|姓名|名字|名称|投票人|户主)$/i;
const HEADER_WEIGHTS = /^(weight|weights|votes|权重|票数|份额)$/i;

/** Reads a voter list; blank lines are skipped, every other line is a voter or a bad line. */
export function readVoterList(text: string, o: { gb18030?: boolean } = {}): VoterList {
  const clean = text.replace(/^\uFEFF/, '');
  const firstLine = clean.split(/\r?\n/, 1)[0] ?? '';
  const all = records(clean, separatorOf(firstLine)).filter((r) => r.open || r.cells.some((c) => c !== ''));
  const first = all[0];
  // A header row names its columns: "name" (or 姓名…), or a second column that is not a number.
  const header = first !== undefined && !first.open && (HEADER_NAMES.test(first.cells[0]) || (first.cells.length > 1 && HEADER_WEIGHTS.test(first.cells[1])));
  const voters: VoterRow[] = [];
  const bad: BadLine[] = [];
  for (const r of header ? all.slice(1) : all) {
    const [name, weightText = '', ...rest] = r.cells;
    const fail = (problem: LineProblem) => bad.push({ line: r.line, text: r.text, problem });
    if (r.open) fail('openQuote');
    else if (name === '') fail('noName');
    else if ([...name].length > NAME_MAX || /[\u0000-\u0008\u000b-\u001f\u007f]/.test(name)) fail('longName');
    else if (rest.some((c) => c !== '')) fail('extraColumns');
    else if (weightText !== '' && !/^\d{1,4}$/.test(weightText)) fail('badWeight');
    else {
      const weight = weightText === '' ? 1 : Number(weightText);
      if (weight < 1 || weight > WEIGHT_MAX) fail('badWeight');
      else voters.push({ line: r.line, name, weight });
    }
  }
  return { voters, bad, header, gb18030: o.gb18030 ?? false };
}

/** The sum of the weights (the board refuses lists that add up to more than TOTAL_WEIGHT_MAX). */
export function totalWeight(voters: readonly { weight: number }[]): number {
  return voters.reduce((s, v) => s + v.weight, 0);
}

/**
 * CSV files for spreadsheets: RFC 4180 quoting and CRLF line ends, a UTF-8 byte order mark first so
 * that Excel reads Chinese right, and no cell a spreadsheet would take for a formula.
 */

function cell(s: string): string {
  // A leading =, +, - or @ would make a spreadsheet read the cell as a formula.
  const safe = /^[=+\-@]/.test(s) ? `'${s}` : s;
  return /[",\r\n]/.test(safe) || safe !== s ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** The file's text: the rows, each a list of cells, BOM first. */
export function csvText(rows: readonly (readonly (string | number)[])[]): string {
  return '\uFEFF' + rows.map((r) => r.map((c) => cell(String(c))).join(',')).join('\r\n') + '\r\n';
}

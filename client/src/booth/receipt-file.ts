/**
 * The receipt file a voter downloads (plain text, .txt): a few lines for people, then the signed
 * receipt note, the signed checkpoint it was cast into and the inclusion proof, each between marker
 * lines, so that anyone can check it later without the server's help (spec §B.3.11).
 * Pure: the check page and the tests read it back with readReceiptFile.
 */
import { fromHex, toHex } from '../../../crypto/index.ts';

const BLOCK = { receipt: 'GONGSHI RECEIPT', checkpoint: 'GONGSHI CHECKPOINT', path: 'GONGSHI INCLUSION PROOF' } as const;

/** What a receipt file carries: the three parts verifyReceipt takes. */
export interface ReceiptParts {
  readonly receipt: string;
  readonly checkpoint: string;
  readonly path: readonly Uint8Array[];
}

const block = (name: string, body: string) => `-----BEGIN ${name}-----\n${body}-----END ${name}-----\n`;

/** The file's text: `heading` lines for people (poll, tracker, where to check), then the three blocks. */
export function receiptFileText(heading: readonly string[], parts: ReceiptParts): string {
  const path = parts.path.map((p) => toHex(p) + '\n').join('');
  return heading.join('\n') + '\n\n' + block(BLOCK.receipt, parts.receipt) + block(BLOCK.checkpoint, parts.checkpoint) + block(BLOCK.path, path);
}

function readBlock(text: string, name: string): string | null {
  const m = new RegExp(`-----BEGIN ${name}-----\\n([\\s\\S]*?)-----END ${name}-----`).exec(text);
  return m ? m[1] : null;
}

/** Whether the text looks like a receipt file (has the receipt block). */
export function isReceiptFile(text: string): boolean {
  return text.includes(`-----BEGIN ${BLOCK.receipt}-----`);
}

/** Reads the three blocks back; null when one is missing or the proof is not hex lines. */
export function readReceiptFile(text: string): ReceiptParts | null {
  const s = text.replace(/\r\n?/g, '\n');
  const receipt = readBlock(s, BLOCK.receipt);
  const checkpoint = readBlock(s, BLOCK.checkpoint);
  const path = readBlock(s, BLOCK.path);
  if (receipt === null || checkpoint === null || path === null) return null;
  const lines = path.split('\n').filter((l) => l.trim() !== '');
  if (!lines.every((l) => /^[0-9a-f]{64}$/.test(l.trim()))) return null;
  return { receipt, checkpoint, path: lines.map((l) => fromHex(l.trim(), 'path')) };
}

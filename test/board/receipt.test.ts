/** Cast receipts (spec §B.3.11): one text per statement, signed by the log key, checked strictly. */
import { describe, expect, it } from 'vitest';
import { DecodeError, seededRandom } from '../../crypto/index.ts';
import {
  decodeReceiptText,
  encodeReceiptText,
  encodeVerifierKey,
  openReceipt,
  signReceipt,
  signerKeyFromSeed,
  verifierKeyOf,
  type ReceiptStatement,
} from '../../bulletin-board/index.ts';
import { verifyReceipt } from '../../verifier/index.ts';

const rng = seededRandom('receipt tests');
const origin = 'vote.example.org/poll/00112233445566778899aabbccddeeff';
const logKey = signerKeyFromSeed(origin, rng(32));
const statement: ReceiptStatement = { origin, type: 'ballot', height: 41, entryHash: rng(32), tracker: rng(32) };

describe('cast receipts', () => {
  it('round-trip through their six-line text, which names the entry type', () => {
    const text = encodeReceiptText(statement);
    expect(text.split('\n')).toHaveLength(7);
    expect(text.split('\n')[2]).toBe('ballot');
    expect(decodeReceiptText(encodeReceiptText({ ...statement, type: 'audit' })).type).toBe('audit');
    expect(decodeReceiptText(text)).toEqual(statement);
  });

  it('refuse a text that is not exactly the canonical five lines', () => {
    const text = encodeReceiptText(statement);
    const lines = text.split('\n');
    const variants = {
      header: text.replace('gongshi/1 receipt', 'gongshi/2 receipt'),
      'leading zero': text.replace('\n41\n', '\n041\n'),
      'sign': text.replace('\n41\n', '\n+41\n'),
      'extra line': `${text}extra\n`,
      'no final newline': text.slice(0, -1),
      'CR': text.replace('\n41\n', '\n41\r\n'),
      'short hash': [lines[0], lines[1], lines[2], Buffer.from(statement.entryHash.subarray(1)).toString('base64'), lines[4], ''].join('\n'),
      'unpadded base64': [lines[0], lines[1], lines[2], lines[3].replace(/=+$/, ''), lines[4], ''].join('\n'),
      'empty origin': text.replace(origin, ''),
    };
    for (const [why, bad] of Object.entries(variants)) expect(() => decodeReceiptText(bad), why).toThrow(DecodeError);
  });

  it('open only with the log key that signed them, for the board it names', () => {
    const note = signReceipt(statement, logKey);
    expect(openReceipt(note, verifierKeyOf(logKey))).toEqual({ ok: true, receipt: statement });
    const other = signerKeyFromSeed(origin, rng(32));
    expect(openReceipt(note, verifierKeyOf(other)).ok).toBe(false);
    expect(() => signReceipt({ ...statement, origin: 'other.example/poll/00' }, logKey)).toThrow(DecodeError);
    // A receipt signed by a key of the right name but for another origin text is refused.
    const imposter = signerKeyFromSeed('other.example/poll/00112233445566778899aabbccddeeff', rng(32));
    const foreign = signReceipt({ ...statement, origin: imposter.name }, imposter);
    expect(openReceipt(foreign, verifierKeyOf(logKey)).ok).toBe(false);
    expect(encodeVerifierKey(verifierKeyOf(logKey))).toContain(origin);
  });

  it('report a receipt for another ballot, or with a malformed checkpoint, as a finding, never a throw', () => {
    const receipt = { receipt: signReceipt(statement, logKey), checkpoint: 'not a note', path: [] };
    expect(verifyReceipt(receipt, verifierKeyOf(logKey), rng(32))).toEqual({ ok: false, reason: 'the receipt names another tracker than this ballot' });
    const malformed = verifyReceipt(receipt, verifierKeyOf(logKey));
    expect(malformed.ok).toBe(false);
    expect(malformed.ok ? '' : malformed.reason).toMatch(/^malformed receipt/);
  });
});

/**
 * Roll changes in the browser's plain logic, without a browser: the mail-merge file read back to find
 * the resident whose sheet was lost (the file this page saves, and a spreadsheet's copy of it), the
 * registrar's revocation body (verified as the board verifies it), and the poll page's account of the
 * summary's roll (spec §B.4.6.1, §B.4.6.8).
 */
import { describe, expect, test } from 'vitest';
import { mailMergeCsv, readMailMerge, voteLink } from '../../client/src/organiser/mail-merge.ts';
import { signedRevocation, type RegistrarKey } from '../../client/src/registrar/registrar-key.ts';
import { rollChanges } from '../../client/src/observer/roll-changes.ts';
import { encodeRevocationList, registrarPublicKey, verifyRevocation, verifyCredentialList } from '../../bulletin-board/index.ts';
import { decodePoint, deriveCredential, encodePoint, fromHex, generateCredentialCode, seededRandom, toHex } from '../../crypto/index.ts';

const rng = seededRandom('roll changes in the client');
const codes = [generateCredentialCode(rng), generateCredentialCode(rng), generateCredentialCode(rng)];
const POLL = '0123456789abcdef0123456789abcdef';

describe('readMailMerge', () => {
  test('reads back the file mailMergeCsv writes: names (Chinese, quoted, formula-safe) and codes in printed form', () => {
    const names = ['王秀英', 'Zhang, "Min"', '=SUM(A1)'];
    const text = mailMergeCsv(names.map((name, i) => ({ name, code: codes[i], link: voteLink('https://vote.example.org', POLL, codes[i]) })));
    expect(readMailMerge(text)).toEqual({ rows: names.map((name, i) => ({ name, code: codes[i] })), unreadable: 0 });
  });

  test('reads a spreadsheet’s copy: columns moved, another case, semicolons, a code typed without dashes in lower case', () => {
    const text = `Link;CODE;Name\r\nx;${codes[0].replace(/-/g, '').toLowerCase()};Li Wei\r\n\r\n`;
    expect(readMailMerge(text)).toEqual({ rows: [{ name: 'Li Wei', code: codes[0] }], unreadable: 0 });
  });

  test('counts rows without a readable code or a name, and leaves them out', () => {
    const typo = codes[1].slice(0, -1) + (codes[1].endsWith('A') ? 'B' : 'A');
    const text = `name,code,link\nA,${codes[0]},x\nB,${typo},x\n,${codes[2]},x\nC,,x\n`;
    expect(readMailMerge(text)).toEqual({ rows: [{ name: 'A', code: codes[0] }], unreadable: 3 });
  });

  test('refuses a file without name and code columns (a voter list, an empty file)', () => {
    expect(readMailMerge('name,weight\n王秀英,1\n')).toBeNull();
    expect(readMailMerge('')).toBeNull();
    expect(readMailMerge('王秀英\nLi Wei\n')).toBeNull();
  });
});

describe('signedRevocation', () => {
  test('is a revocation the board accepts from this registrar for this manifest, and nothing else', () => {
    const seed = new Uint8Array(32).fill(3);
    const key: RegistrarKey = { poll: POLL, seed, key: toHex(registrarPublicKey(seed)) };
    const points = codes.slice(0, 2).map((c) => deriveCredential(c, fromHex(POLL, 'poll')).publicKey);
    const hash = new Uint8Array(32).fill(7);
    const body = signedRevocation(points.map((p) => toHex(encodePoint(p))), hash, key);
    const bytes = encodeRevocationList(body.keys.map((k) => decodePoint(fromHex(k, 'key'), 'key')));
    const signature = fromHex(body.signature, 'signature');
    expect(verifyRevocation(bytes, signature, hash, registrarPublicKey(seed))).toBe(true);
    expect(verifyRevocation(bytes, signature, new Uint8Array(32).fill(8), registrarPublicKey(seed))).toBe(false); // another poll's manifest
    expect(verifyRevocation(bytes, signature, hash, registrarPublicKey(new Uint8Array(32).fill(4)))).toBe(false); // another registrar
    expect(verifyCredentialList(bytes, signature, hash, registrarPublicKey(seed))).toBe(false); // never read as a credential list
  });
});

describe('rollChanges', () => {
  const T = Date.UTC(2026, 11, 7, 9);
  test('lists made before opening are the roll, not a change', () => {
    expect(rollChanges([])).toEqual({ addedWhileOpen: null, revoked: null });
    expect(rollChanges([{ height: 1, time: T, added: 30, revoked: 0, whileOpen: false }, { height: 2, time: T + 1, added: 2, revoked: 0, whileOpen: false }])).toEqual({ addedWhileOpen: null, revoked: null });
  });

  test('counts voters added while open and codes revoked (before or after opening), with the entries and the last time', () => {
    const roll = [
      { height: 1, time: T, added: 30, revoked: 0, whileOpen: false },
      { height: 2, time: T + 10, added: 0, revoked: 1, whileOpen: false },
      { height: 9, time: T + 200, added: 2, revoked: 0, whileOpen: true },
      { height: 12, time: T + 300, added: 0, revoked: 2, whileOpen: true },
      { height: 13, time: T + 301, added: 2, revoked: 0, whileOpen: true },
    ];
    expect(rollChanges(roll)).toEqual({
      addedWhileOpen: { count: 4, entries: 2, first: T + 200, last: T + 301 },
      revoked: { count: 3, entries: 2, first: T + 10, last: T + 300 },
    });
  });
});

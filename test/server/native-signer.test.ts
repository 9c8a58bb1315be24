/** The server's native Ed25519 signer makes exactly the bytes of the reference (noble) signer. */
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../crypto/index.ts';
import { ed25519NoteSigner, signCheckpoint, signReceipt, signerKeyFromSeed } from '../../bulletin-board/index.ts';
import { nativeNoteSigner } from '../../server/polls/native-signer.ts';

describe('the native log signer', () => {
  it('signs every text, receipt and checkpoint with the same bytes as noble (RFC 8032 is deterministic)', () => {
    const rng = seededRandom('native signer');
    for (let i = 0; i < 20; i++) {
      const key = signerKeyFromSeed('vote.example.org/poll/00112233445566778899aabbccddeeff', rng(32));
      const text = rng(1 + (i * 37) % 300);
      expect(nativeNoteSigner(key).sign(text)).toEqual(ed25519NoteSigner(key).sign(text));
      const r = { origin: key.name, type: i % 2 === 0 ? ('ballot' as const) : ('audit' as const), height: i, entryHash: rng(32), tracker: rng(32) };
      expect(signReceipt(r, key, nativeNoteSigner(key))).toBe(signReceipt(r, key));
      const c = { origin: key.name, size: i + 1, rootHash: rng(32), extensions: [] };
      expect(signCheckpoint(c, key, nativeNoteSigner(key))).toBe(signCheckpoint(c, key));
    }
  });

  it('is refused for another key than the log key', () => {
    const rng = seededRandom('native signer, other key');
    const key = signerKeyFromSeed('vote.example.org/poll/00112233445566778899aabbccddeeff', rng(32));
    const other = signerKeyFromSeed('vote.example.org/poll/00112233445566778899aabbccddeeff', rng(32));
    expect(() => signReceipt({ origin: key.name, type: 'ballot', height: 0, entryHash: rng(32), tracker: rng(32) }, key, nativeNoteSigner(other))).toThrow();
    expect(() => signCheckpoint({ origin: key.name, size: 1, rootHash: rng(32), extensions: [] }, key, nativeNoteSigner(other))).toThrow('key name differs');
  });
});

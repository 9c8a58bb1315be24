/** The trustee's key file (spec §T.9): round trip, wrong passphrase, damage anywhere, another poll, "check my key". */
import { sha256 } from '@noble/hashes/sha2.js';
import { beforeAll, describe, expect, it } from 'vitest';
import * as c from '../../crypto/index.ts';

const rng = c.seededRandom('key file tests');
const params = { election: rng(32), t: 2, n: 3 };
const PASS = 'correct horse battery staple';
let outcome: c.CeremonyOutcome;
let identities: c.IdentityMessage[];
let key: c.TrusteeKey;
let file: Uint8Array;

beforeAll(async () => {
  const run = await c.simulateCeremony(params, rng);
  outcome = run.outcome;
  identities = [...run.record.identities];
  const s = run.secrets[1];
  const keyShare = run.keyShares[1];
  key = { params, index: 2, signing: s.signing, encryption: s.encryption, keyShare, jointKey: outcome.jointKey!, transcript: outcome.transcript, seen: { size: 23, root: rng(32) } };
  file = await c.createKeyFile(key, PASS, { logN: 14, rng });
});

async function openError(bytes: Uint8Array, pass = PASS, expectedElection?: Uint8Array): Promise<c.KeyFileError> {
  try {
    await c.openKeyFile(bytes, pass, { expectedElection });
  } catch (e) {
    if (e instanceof c.KeyFileError) return e;
    throw e;
  }
  throw new Error('the key file opened');
}

describe('trustee key file', () => {
  it('opens to exactly the key it was made from, and shows who and which poll without the passphrase', async () => {
    const opened = await c.openKeyFile(file, PASS, { expectedElection: params.election });
    expect(opened.index).toBe(2);
    expect(opened.keyShare).toBe(key.keyShare);
    expect(opened.signing.secret).toBe(key.signing.secret);
    expect(opened.encryption.publicKey.equals(key.encryption.publicKey)).toBe(true);
    expect(opened.jointKey.equals(key.jointKey)).toBe(true);
    expect(opened.transcript).toEqual(key.transcript);
    expect(opened.seen).toEqual(key.seen); // T.9.3 the board her device replayed when she saved it
    expect(c.readKeyFileHeader(file)).toEqual({ params, index: 2, logN: 14 });
    expect(file.length).toBe(351); // T.9.1 a version 2 file
  });

  it('keeps no secret in the clear', () => {
    const hex = c.toHex(file);
    for (const s of [key.keyShare, key.signing.secret, key.encryption.secret]) expect(hex).not.toContain(c.toHex(c.encodeScalar(s)));
  });

  it('says "wrong passphrase" for a wrong passphrase, and nothing opens', async () => {
    const e = await openError(file, 'correct horse battery stapler');
    expect(e.code).toBe('WRONG_PASSPHRASE');
    expect(e.message).toMatch(/passphrase/);
  });

  it('says "damaged" for a single flipped byte anywhere after the magic, before asking scrypt', async () => {
    for (let at = 8; at < file.length; at++) {
      const bad = file.slice();
      bad[at] ^= 0x10;
      const e = await openError(bad);
      expect(e.code, `byte ${at}`).toBe('DAMAGED');
    }
  });

  it('says "damaged" when an altered header or ciphertext comes with a recomputed checksum', async () => {
    // Offsets: magic 8, version 1, election 32, t n index 12, logN 1, salt 16, check 16, nonce 12, length 4.
    for (const at of [9 + 32, 9 + 32 + 8, 9 + 32 + 12 + 1 + 16 + 16 + 4, file.length - 40]) {
      const bad = file.slice(0, -32);
      bad[at] ^= 0x01;
      const e = await openError(Uint8Array.of(...bad, ...sha256(bad)));
      expect(['DAMAGED', 'NOT_A_KEY_FILE'], `byte ${at}`).toContain(e.code);
    }
  });

  it('says "not a key file" for other bytes, and "another poll" for a key file of another election', async () => {
    expect((await openError(new TextEncoder().encode('{"not":"a key file"}'))).code).toBe('NOT_A_KEY_FILE');
    expect((await openError(new Uint8Array(0))).code).toBe('NOT_A_KEY_FILE');
    const e = await openError(file, PASS, rng(32));
    expect(e.code).toBe('OTHER_ELECTION');
  });

  it('refuses a short passphrase when making a file, counted before normalisation (§T.9.1 step 2)', async () => {
    await expect(c.createKeyFile(key, 'short', { logN: 14, rng })).rejects.toThrow(/at least 10 characters/);
    // Ten ligatures "ﬃ" (U+FB03) are 10 code points as typed, 30 after NFKC: accepted, as typed.
    expect((await c.createKeyFile(key, 'ﬃ'.repeat(10), { logN: 14, rng })).length).toBe(351);
    // Nine characters that NFKC would lengthen to 27 are still 9: refused.
    await expect(c.createKeyFile(key, 'ﬃ'.repeat(9), { logN: 14, rng })).rejects.toThrow(/at least 10 characters/);
    // Ten decomposed characters that NFKC composes to 5 ("e" + U+0301 → "é") are 10 as typed: accepted.
    expect((await c.createKeyFile(key, 'e\u0301'.repeat(5), { logN: 14, rng })).length).toBe(351);
  });

  it('"check my key" passes against the record it came from and names every mismatch', async () => {
    const opened = await c.openKeyFile(file, PASS);
    expect(c.checkKey(opened, { outcome, identity: identities[1] })).toEqual([]);
    const wrongShare = { ...opened, keyShare: c.add(opened.keyShare, 1n) };
    expect(c.checkKey(wrongShare, { outcome, identity: identities[1] })).toEqual(['your key share does not match your verification key on the record']);
    expect(c.checkKey(opened, { outcome, identity: identities[0] })).toContain('your keys are not the ones on the record');
    const otherKey = { ...opened, jointKey: c.G };
    expect(c.checkKey(otherKey, { outcome, identity: identities[1] })).toContain('the election key on the record is not the one you signed');
  });
});

/**
 * countWitnesses (spec §B.3.9, V40): only the manifest's witnesses count, each once, and only with a
 * cosignature that verifies. Bad cases grouped by why they are not counted.
 */
import { describe, expect, it } from 'vitest';
import { SIG_TYPE_COSIGNATURE_V1, cosignCheckpoint, encodeVerifierKey, parseNote, encodeNote, signCheckpoint, signerKeyFromSeed, verifierKeyOf, type SignerKey } from '../../bulletin-board/index.ts';
import { countWitnesses } from '../../verifier/index.ts';

const ORIGIN = `board.example/poll/${'ab'.repeat(16)}`;
const log = signerKeyFromSeed(ORIGIN, new Uint8Array(32).fill(1));
const witness = (name: string, seed: number): SignerKey => signerKeyFromSeed(name, new Uint8Array(32).fill(seed), SIG_TYPE_COSIGNATURE_V1);
const vkey = (k: SignerKey) => encodeVerifierKey(verifierKeyOf(k));
const alice = witness('alice.example', 2);
const bob = witness('bob.example', 3);
const stranger = witness('stranger.example', 4);
const checkpoint = (size: number) => signCheckpoint({ origin: ORIGIN, size, rootHash: new Uint8Array(32).fill(size), extensions: [] }, log);
const cosign = (note: string, ...by: SignerKey[]) => by.reduce((n, w) => cosignCheckpoint(n, w, 1_700_000_000), note);
const listed = [vkey(alice), vkey(bob)];

describe('countWitnesses counts', () => {
  it('every listed witness whose cosignature verifies, in the manifest order', () => {
    const c = countWitnesses(cosign(checkpoint(5), bob, alice), listed, 2);
    expect(c).toEqual({ counted: ['alice.example', 'bob.example'], invalid: [], ignored: 0, listed: 2, k: 2, enough: true });
  });

  it('cosignatures spread over several notes of the log (one per witness, as the server publishes them)', () => {
    const c = countWitnesses([cosign(checkpoint(5), alice), cosign(checkpoint(6), bob)], listed, 2);
    expect(c.counted).toEqual(['alice.example', 'bob.example']);
    expect(c.enough).toBe(true);
  });

  it('a witness once, however many of its cosignatures are given', () => {
    const c = countWitnesses([cosign(checkpoint(5), alice), cosign(checkpoint(6), alice), cosign(checkpoint(7), alice)], listed, 2);
    expect(c.counted).toEqual(['alice.example']);
    expect(c.enough).toBe(false);
  });

  it('nothing and warns of nothing when the manifest names no witness (k = 0 is enough)', () => {
    const c = countWitnesses(checkpoint(5), [], 0);
    expect(c).toEqual({ counted: [], invalid: [], ignored: 0, listed: 0, k: 0, enough: true });
  });
});

describe('countWitnesses does not count', () => {
  it('a stranger’s valid cosignature, and says it ignored one', () => {
    const c = countWitnesses(cosign(checkpoint(5), alice, stranger), listed, 2);
    expect(c.counted).toEqual(['alice.example']);
    expect(c.ignored).toBe(1);
    expect(c.enough).toBe(false);
  });

  it('a stranger who takes a listed witness’s name with another key', () => {
    const impostor = witness('bob.example', 9);
    const c = countWitnesses(cosign(checkpoint(5), alice, impostor), listed, 2);
    expect(c.counted).toEqual(['alice.example']);
    expect(c.ignored).toBe(1);
  });

  it('the same stranger twice as two strangers', () => {
    const c = countWitnesses([cosign(checkpoint(5), stranger), cosign(checkpoint(6), stranger)], listed, 1);
    expect(c.ignored).toBe(1);
    expect(c.counted).toEqual([]);
  });

  it('a listed witness’s cosignature with one bit flipped', () => {
    const note = parseNote(cosign(checkpoint(5), alice, bob));
    const signatures = note.signatures.map((s) => (s.name === 'bob.example' ? { ...s, signature: s.signature.map((b, i) => (i === 20 ? b ^ 1 : b)) } : s));
    const c = countWitnesses(encodeNote({ text: note.text, signatures }), listed, 2);
    expect(c.counted).toEqual(['alice.example']);
    expect(c.invalid).toEqual(['bob.example']);
    expect(c.enough).toBe(false);
  });

  it('a listed witness’s cosignature moved to another checkpoint', () => {
    const moved = parseNote(cosign(checkpoint(5), alice)).signatures.find((s) => s.name === 'alice.example')!;
    const other = parseNote(checkpoint(6));
    const c = countWitnesses(encodeNote({ text: other.text, signatures: [...other.signatures, moved] }), listed, 1);
    expect(c.counted).toEqual([]);
    expect(c.invalid).toEqual(['alice.example']);
    expect(c.enough).toBe(false);
  });

  it('the log’s own signature', () => {
    const c = countWitnesses(checkpoint(5), listed, 1);
    expect(c).toEqual({ counted: [], invalid: [], ignored: 0, listed: 2, k: 1, enough: false });
  });
});

/**
 * Checkpoints, cosignatures and checkpoint comparison (spec §B.3.6–B.3.10). Known answers come from
 * the C2SP tlog-checkpoint v1.0.0 and tlog-cosignature v1.0.1 examples and from
 * github.com/transparency-dev/formats note/note_cosigv1_test.go (TestCosignatureTimestamp).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DecodeError } from '../../crypto/index.ts';
import {
  compareCheckpoints,
  cosignCheckpoint,
  cosignatureMessage,
  cosignatureTimestamp,
  decodeCheckpoint,
  encodeCheckpoint,
  signCheckpoint,
  verifyCheckpoint,
  verifyCosignature,
  type Checkpoint,
  type ConsistencyProofVerifier,
  type VerifiedCheckpoint,
} from '../../bulletin-board/log/checkpoint.ts';
import {
  SIG_TYPE_COSIGNATURE_V1,
  decodeBase64,
  ed25519NoteSigner,
  encodeBase64,
  encodeVerifierKey,
  parseNote,
  parseVerifierKey,
  signNote,
  signerKeyFromSeed,
  verifierKeyOf,
} from '../../bulletin-board/log/note.ts';

// C2SP tlog-checkpoint v1.0.0 and tlog-cosignature (introductory example).
const SPEC_BODY = 'example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n';
const SPEC_LOG_SIG = '— example.com/behind-the-sofa Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/Zhcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=\n';
const SPEC_COSIG = '— witness.example.com/w1 jWbPPwAAAABkGFDLEZMHwSRaJNiIDoe9DYn/zXcrtPHeolMI5OWXEhZCB9dlrDJsX3b2oyin1nPZqhf5nNo0xUe+mbIUBkBIfZ+qnA==\n';

const ORIGIN = 'gongshi.example/poll/00112233445566778899aabbccddeeff';
const logKey = signerKeyFromSeed(ORIGIN, new Uint8Array(32).fill(1));
const otherLogKey = signerKeyFromSeed(ORIGIN, new Uint8Array(32).fill(2));
const witnessKey = signerKeyFromSeed('witness.example/w1', new Uint8Array(32).fill(3), SIG_TYPE_COSIGNATURE_V1);
const otherWitnessKey = signerKeyFromSeed('witness.example/w1', new Uint8Array(32).fill(4), SIG_TYPE_COSIGNATURE_V1);

const root = (b: number) => new Uint8Array(32).fill(b);
const cp = (size: number, r: Uint8Array, origin = ORIGIN): Checkpoint => ({ origin, size, rootHash: r, extensions: [] });

function verified(size: number, r: Uint8Array, key = logKey): VerifiedCheckpoint {
  const v = verifyCheckpoint(signCheckpoint(cp(size, r), key), verifierKeyOf(key));
  if (!v.ok) throw new Error('test setup: checkpoint does not verify');
  return v;
}

function refusal(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(DecodeError);
    return (e as Error).message;
  }
  throw new Error('expected a DecodeError');
}

describe('B.3.6 checkpoint body: known answers and round trips', () => {
  it('decodes the C2SP tlog-checkpoint example and re-encodes it byte for byte', () => {
    const c = decodeCheckpoint(parseNote(SPEC_BODY + '\n' + SPEC_LOG_SIG).text);
    expect(c.origin).toBe('example.com/behind-the-sofa');
    expect(c.size).toBe(20852163);
    expect(encodeBase64(c.rootHash)).toBe('CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=');
    expect(encodeCheckpoint(c)).toBe(SPEC_BODY);
  });

  it('builds the cosignature/v1 signed message exactly as in the tlog-cosignature example', () => {
    const message = new TextDecoder().decode(cosignatureMessage(SPEC_BODY, 1679315147));
    expect(message).toBe('cosignature/v1\ntime 1679315147\nexample.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n');
  });

  it('reads the timestamp of the C2SP example cosignature (1679315147) and of transparency-dev\'s vector (1727964367)', () => {
    const note = parseNote(SPEC_BODY + '\n' + SPEC_LOG_SIG + SPEC_COSIG);
    const cosig = note.signatures[1];
    expect(cosig.name).toBe('witness.example.com/w1');
    expect(cosig.keyId).toBe(0x8d66cf3f);
    expect(cosignatureTimestamp(cosig.signature)).toBe(1679315147);
    const td = decodeBase64('ZGhGuQAAAABm/qTPeyKXD+R2rzyQsxPiP8mXum7qq/iF0u4vanlqJyocWODBt97w9uL+8qT7S5gxEHWWOworDcFiEBYJXORmnFBOBA==', 'sig');
    expect(cosignatureTimestamp(td.subarray(4))).toBe(1727964367);
    // A plain Ed25519 note signature (68 bytes) has no timestamp (transparency-dev "wrong type of signature").
    const plain = decodeBase64('eQjRQm6eSKzFoiYalgwCPXu2y3ijtg68is9M46JKxuZB+dRfTmeQeDBoXnvxZx2ugnkyV+MUMLXpWs1hPb/W/4xkNQY=', 'sig');
    expect(cosignatureTimestamp(plain.subarray(4))).toBeUndefined();
  });

  it('encode → decode is the identity, with and without extension lines', () => {
    const origin = fc.stringMatching(/^[a-z0-9./_-]{1,30}$/);
    const ext = fc.array(fc.stringMatching(/^[^\n\u0000-\u001f]{1,20}$/), { maxLength: 3 });
    fc.assert(
      fc.property(origin, fc.nat({ max: Number.MAX_SAFE_INTEGER }), fc.uint8Array({ minLength: 32, maxLength: 32 }), ext, (o, size, r, extensions) => {
        const c = { origin: o, size, rootHash: r, extensions };
        const text = encodeCheckpoint(c);
        expect(decodeCheckpoint(text)).toEqual(c);
        expect(encodeCheckpoint(decodeCheckpoint(text))).toBe(text);
      }),
    );
  });
});

describe('B.3.6 checkpoint body: every rule refuses malformed input', () => {
  const R = 'CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=';
  const cases: [string, string, RegExp][] = [
    ['no final newline', `o\n1\n${R}`, /does not end in newline/],
    ['two lines only', 'o\n1\n', /fewer than three lines/],
    ['empty origin', `\n1\n${R}\n`, /line 1 \(origin\).*empty/],
    ['origin with a space', `a b\n1\n${R}\n`, /line 1 \(origin\).*space/],
    ['origin with +', `a+b\n1\n${R}\n`, /line 1 \(origin\).*\+/],
    ['tree size with a leading zero', `o\n01\n${R}\n`, /line 2 \(tree size\).*canonical/],
    ['tree size 00', `o\n00\n${R}\n`, /line 2 \(tree size\).*canonical/],
    ['tree size with a sign', `o\n+1\n${R}\n`, /line 2 \(tree size\).*canonical/],
    ['negative tree size', `o\n-1\n${R}\n`, /line 2 \(tree size\).*canonical/],
    ['empty tree size', `o\n\n${R}\n`, /line 2 \(tree size\)/],
    ['tree size in hex', `o\n0x1\n${R}\n`, /line 2 \(tree size\).*canonical/],
    ['tree size with a space', `o\n 1\n${R}\n`, /line 2 \(tree size\).*canonical/],
    ['tree size above 2^53 − 1', `o\n9007199254740992\n${R}\n`, /line 2 \(tree size\).*too large/],
    ['root hash of 31 bytes', `o\n1\n${encodeBase64(new Uint8Array(31))}\n`, /line 3 \(root hash\).*32 bytes/],
    ['root hash of 33 bytes', `o\n1\n${encodeBase64(new Uint8Array(33))}\n`, /line 3 \(root hash\).*32 bytes/],
    ['root hash unpadded', `o\n1\n${R.slice(0, -1)}\n`, /line 3 \(root hash\).*multiple of 4/],
    ['root hash in URL-safe base64', `o\n1\n${encodeBase64(new Uint8Array(32).fill(0xfb))}\n`.replace(/\+/g, '-'), /line 3 \(root hash\).*not standard base64/],
    ['root hash non-canonical', `o\n1\n${R.replace('2I=', '2J=')}\n`, /line 3 \(root hash\).*unused bits/],
    ['root hash in hex', `o\n1\n${'00'.repeat(32)}\n`, /line 3 \(root hash\)/],
    ['empty extension line', `o\n1\n${R}\n\nx\n`, /line 4 \(extension\).*empty/],
  ];
  for (const [rule, text, message] of cases) {
    it(`refuses: ${rule}`, () => expect(refusal(() => decodeCheckpoint(text))).toMatch(message));
  }

  it('refuses to encode what it would not decode', () => {
    expect(refusal(() => encodeCheckpoint(cp(-1, root(0))))).toMatch(/^size/);
    expect(refusal(() => encodeCheckpoint(cp(1.5, root(0))))).toMatch(/^size/);
    expect(refusal(() => encodeCheckpoint(cp(1, new Uint8Array(31))))).toMatch(/^rootHash/);
    expect(refusal(() => encodeCheckpoint(cp(1, root(0), '')))).toMatch(/^origin/);
    expect(refusal(() => encodeCheckpoint({ ...cp(1, root(0)), extensions: [''] }))).toMatch(/^extension 0/);
    expect(refusal(() => signCheckpoint(cp(1, root(0), 'example.com/other'), logKey))).toMatch(/^logKey/);
  });
});

describe('B.3.7–B.3.8 signed checkpoints', () => {
  const signed = signCheckpoint(cp(5, root(9)), logKey);

  it('verifies a checkpoint signed by the log key; the vkey string round-trips', () => {
    const key = parseVerifierKey(encodeVerifierKey(verifierKeyOf(logKey)));
    const v = verifyCheckpoint(signed, key);
    expect(v.ok).toBe(true);
    if (v.ok) {
      expect(v.checkpoint).toEqual(cp(5, root(9)));
      expect(v.signedNote).toBe(signed);
    }
    expect(verifyCheckpoint(new TextEncoder().encode(signed), key).ok).toBe(true);
  });

  it('tampering with any line of the body breaks verification', () => {
    const lines = signed.split('\n');
    const variants = [
      [ORIGIN.replace('poll', 'pol1'), lines[1], lines[2]],
      [lines[0], '6', lines[2]],
      [lines[0], lines[1], encodeBase64(root(8))],
    ];
    for (const body of variants) {
      const tampered = [...body, ...lines.slice(3)].join('\n');
      expect(verifyCheckpoint(tampered, verifierKeyOf(logKey))).toMatchObject({ ok: false, reason: 'invalid-signature' });
    }
    // An added extension line is text the log never signed.
    const extended = signed.replace(encodeBase64(root(9)) + '\n', encodeBase64(root(9)) + '\nextra\n');
    expect(verifyCheckpoint(extended, verifierKeyOf(logKey))).toMatchObject({ ok: false, reason: 'invalid-signature' });
  });

  it('tampering with the signature line breaks verification', () => {
    const sigStart = signed.lastIndexOf(' ') + 1;
    for (const at of [sigStart + 6, sigStart + 40, signed.length - 5]) {
      const c = signed[at] === 'A' ? 'B' : 'A';
      const tampered = signed.slice(0, at) + c + signed.slice(at + 1);
      const v = (() => {
        try {
          return verifyCheckpoint(tampered, verifierKeyOf(logKey));
        } catch (e) {
          return e;
        }
      })();
      expect(v instanceof DecodeError || (v as { ok: boolean }).ok === false).toBe(true);
    }
  });

  it('does not accept a signature by an unknown key as the log\'s', () => {
    const byOther = signCheckpoint(cp(5, root(9)), otherLogKey);
    expect(verifyCheckpoint(byOther, verifierKeyOf(logKey))).toMatchObject({ ok: false, reason: 'no-log-signature' });
    const byStranger = signNote(encodeCheckpoint(cp(5, root(9))), [ed25519NoteSigner(signerKeyFromSeed('stranger.example', root(5)))]);
    expect(verifyCheckpoint(byStranger, verifierKeyOf(logKey))).toMatchObject({ ok: false, reason: 'no-log-signature' });
  });

  it('refuses a checkpoint whose origin is not the log key name or not the expected origin', () => {
    const foreignKey = signerKeyFromSeed('example.com/log', root(6));
    const note = signNote(encodeCheckpoint(cp(1, root(1))), [ed25519NoteSigner(foreignKey)]);
    expect(verifyCheckpoint(note, verifierKeyOf(foreignKey))).toMatchObject({ ok: false, reason: 'origin-mismatch' });
    expect(verifyCheckpoint(signed, verifierKeyOf(logKey), 'gongshi.example/poll/ff')).toMatchObject({ ok: false, reason: 'origin-mismatch' });
  });

  it('throws on a validly signed note whose body is not a checkpoint', () => {
    const note = signNote('just text\n', [ed25519NoteSigner(logKey)]);
    expect(() => verifyCheckpoint(note, verifierKeyOf(logKey))).toThrow(DecodeError);
  });
});

describe('B.3.9 witness cosignatures', () => {
  const signed = signCheckpoint(cp(7, root(3)), logKey);
  const T = 1_700_000_000;

  it('round trip: cosign, then the cosignature verifies with its timestamp and the log signature still does', () => {
    const cosigned = cosignCheckpoint(signed, witnessKey, T);
    expect(cosigned.startsWith(signed)).toBe(true);
    expect(verifyCosignature(cosigned, verifierKeyOf(witnessKey))).toEqual({ ok: true, timestamp: T });
    const v = verifyCheckpoint(cosigned, verifierKeyOf(logKey));
    expect(v.ok && v.otherSignatures.map((s) => s.name)).toEqual(['witness.example/w1']);
    const sig = parseNote(cosigned).signatures[1];
    expect(sig.signature.length).toBe(72);
    expect(sig.keyId).toBe(witnessKey.keyId);
  });

  it('a cosignature over another checkpoint fails', () => {
    const cosignedOther = cosignCheckpoint(signCheckpoint(cp(8, root(4)), logKey), witnessKey, T);
    const foreignLine = cosignedOther.trimEnd().split('\n').at(-1)!;
    const transplanted = signed + foreignLine + '\n';
    expect(verifyCosignature(transplanted, verifierKeyOf(witnessKey))).toEqual({ ok: false, reason: 'invalid-signature' });
  });

  it('a cosignature with another timestamp fails', () => {
    const cosigned = parseNote(cosignCheckpoint(signed, witnessKey, T));
    const sig = cosigned.signatures[1].signature.slice();
    sig[7] ^= 1;
    const line = `— ${witnessKey.name} ${encodeBase64(Uint8Array.of(...u32(witnessKey.keyId), ...sig))}\n`;
    expect(verifyCosignature(signed + line, verifierKeyOf(witnessKey))).toEqual({ ok: false, reason: 'invalid-signature' });
  });

  it('a timestamp above 2^63 − 1 fails', () => {
    const cosigned = parseNote(cosignCheckpoint(signed, witnessKey, T));
    const sig = cosigned.signatures[1].signature.slice();
    sig[0] = 0x80;
    expect(cosignatureTimestamp(sig)).toBeUndefined();
    const line = `— ${witnessKey.name} ${encodeBase64(Uint8Array.of(...u32(witnessKey.keyId), ...sig))}\n`;
    expect(verifyCosignature(signed + line, verifierKeyOf(witnessKey))).toEqual({ ok: false, reason: 'invalid-signature' });
  });

  it('a cosignature by another witness key with the same name is ignored, so the witness has none', () => {
    const cosigned = cosignCheckpoint(signed, otherWitnessKey, T);
    expect(verifyCosignature(cosigned, verifierKeyOf(witnessKey))).toEqual({ ok: false, reason: 'no-cosignature' });
  });

  it('a type 0x04 cosignature is not a type 0x01 signature and vice versa (different key IDs)', () => {
    const asLog = signerKeyFromSeed(witnessKey.name, new Uint8Array(32).fill(3));
    expect(asLog.keyId).not.toBe(witnessKey.keyId);
    const signedByPlain = signNote(encodeCheckpoint(cp(7, root(3), witnessKey.name)), [ed25519NoteSigner(asLog)]);
    expect(verifyCosignature(signedByPlain, verifierKeyOf(witnessKey))).toEqual({ ok: false, reason: 'no-cosignature' });
  });

  it('refuses a negative or fractional timestamp, and a second cosignature by the same key', () => {
    expect(refusal(() => cosignCheckpoint(signed, witnessKey, -1))).toMatch(/^timestamp/);
    expect(refusal(() => cosignCheckpoint(signed, witnessKey, 1.5))).toMatch(/^timestamp/);
    expect(refusal(() => cosignCheckpoint(cosignCheckpoint(signed, witnessKey, T), witnessKey, T + 1))).toMatch(/two signatures/);
  });
});

describe('B.3.10 compareCheckpoints', () => {
  const proof = [root(0xaa)];
  const yes: ConsistencyProofVerifier = () => true;
  const no: ConsistencyProofVerifier = () => false;

  it('the same checkpoint twice is consistent', () => {
    const a = verified(10, root(1));
    expect(compareCheckpoints(a, a)).toEqual({ verdict: 'consistent' });
  });

  it('same size, different root is equivocation with both signed checkpoints as evidence', () => {
    const a = verified(10, root(1));
    const b = verified(10, root(2));
    expect(compareCheckpoints(a, b, yes)).toEqual({ verdict: 'equivocation', kind: 'same-size-different-root', evidence: [a.signedNote, b.signedNote] });
  });

  it('different sizes: a valid consistency proof means consistent; the callback sees older first', () => {
    const a = verified(10, root(1));
    const b = verified(20, root(2));
    const calls: unknown[] = [];
    const spy: ConsistencyProofVerifier = (...args) => {
      calls.push(args);
      return true;
    };
    expect(compareCheckpoints(b, a, spy, proof)).toEqual({ verdict: 'consistent' });
    expect(calls).toEqual([[10, 20, root(1), root(2), proof]]);
  });

  it('different sizes: no valid consistency proof is equivocation with the evidence and the proof', () => {
    const a = verified(10, root(1));
    const b = verified(20, root(2));
    expect(compareCheckpoints(b, a, no, proof)).toEqual({
      verdict: 'equivocation',
      kind: 'no-valid-consistency-proof',
      evidence: [a.signedNote, b.signedNote],
      proof,
    });
  });

  it('refuses checkpoints of different logs, and different sizes without a verifier', () => {
    const a = verified(10, root(1));
    const other = signerKeyFromSeed('gongshi.example/poll/ff', root(7));
    const bv = verifyCheckpoint(signCheckpoint(cp(10, root(1), other.name), other), verifierKeyOf(other));
    if (!bv.ok) throw new Error('test setup');
    const b = bv;
    expect(() => compareCheckpoints(a, b)).toThrow(/different logs/);
    expect(() => compareCheckpoints(a, verified(11, root(1)))).toThrow(/consistency proof verifier/);
  });
});

function u32(n: number): number[] {
  return [n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];
}

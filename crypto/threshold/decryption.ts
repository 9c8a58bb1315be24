/**
 * Threshold decryption: each trustee's decryption shares with §P2 proofs against her verification
 * key, their checks, and the Lagrange combination of any t valid shares. Spec §T.8.
 */
import { DiscreteLog } from '../dlog.ts';
import type { Ciphertext, KeyPair } from '../elgamal.ts';
import { bytesEqual, Writer } from '../encoding.ts';
import { BatchCheck, DirectCheck } from '../equations.ts';
import { G, mulSecret, type Point } from '../group.ts';
import { msm } from '../msm.ts';
import { dleqEquations, proveDleq } from '../proofs/dleq.ts';
import { systemRandom, type RandomSource } from '../random.ts';
import { buildMessage, type DecryptionMessage } from './messages.ts';
import type { Refusal } from './ceremony.ts';
import { verifyMessage } from './params.ts';
import { lagrangeAtZero } from './polynomial.ts';

/** T.8.1 the context of trustee j's proof for ciphertext c: (fingerprint, u32 7 ‖ u32 j ‖ u32 c). */
export function decryptionContext(fingerprint: Uint8Array, index: number, position: number) {
  return { fingerprint, binding: new Writer().u32(7).u32(index).u32(position).finish() };
}

/** T.8.1 trustee j's shares Mᶜ = x_j·αᶜ of every ciphertext, each with a §P2 proof against Y_j = x_j·G. */
export function createDecryptionShares(
  input: {
    readonly fingerprint: Uint8Array;
    readonly index: number;
    readonly keyShare: bigint;
    readonly signing: KeyPair;
    readonly ciphertexts: readonly Ciphertext[];
  },
  rng: RandomSource = systemRandom,
): DecryptionMessage {
  const { fingerprint, index, keyShare: x } = input;
  const Yj = mulSecret(G, x);
  const shares = input.ciphertexts.map((c, pos) => {
    const M = mulSecret(c.alpha, x);
    return { M, proof: proveDleq({ B1: G, X1: Yj, B2: c.alpha, X2: M }, x, decryptionContext(fingerprint, index, pos), rng) };
  });
  return buildMessage('decryption', fingerprint, index, { shares }, input.signing, rng);
}

/**
 * T.8.2 checks one trustee's decryption message against the tally ciphertexts, her verification key
 * and her signing key. Returns null when valid, or the reason (naming the first bad position).
 * The proofs are checked in one batch; a failing batch is re-checked one by one to name the culprit.
 */
export function checkDecryptionShares(
  msg: DecryptionMessage,
  expect: { readonly fingerprint: Uint8Array; readonly ciphertexts: readonly Ciphertext[]; readonly verificationKey: Point; readonly signingKey: Point },
  rng: RandomSource = systemRandom,
): string | null {
  if (!bytesEqual(msg.fingerprint, expect.fingerprint)) return 'belongs to another election';
  if (!verifyMessage(msg.fingerprint, 'decryption', msg.index, msg.body, msg.signature, expect.signingKey)) return 'bad signature';
  if (msg.shares.length !== expect.ciphertexts.length) return `has ${msg.shares.length} shares for ${expect.ciphertexts.length} ciphertexts`;
  const statement = (pos: number) => ({ B1: G, X1: expect.verificationKey, B2: expect.ciphertexts[pos].alpha, X2: msg.shares[pos].M });
  const batch = new BatchCheck(rng);
  msg.shares.forEach((s, pos) => dleqEquations(statement(pos), s.proof, decryptionContext(msg.fingerprint, msg.index, pos), batch));
  if (batch.result()) return null;
  for (let pos = 0; pos < msg.shares.length; pos++) {
    const one = new DirectCheck();
    dleqEquations(statement(pos), msg.shares[pos].proof, decryptionContext(msg.fingerprint, msg.index, pos), one);
    if (!one.result()) return `bad proof for ciphertext ${pos}`;
  }
  throw new Error('bug: a batch failed but every proof holds');
}

/**
 * T.8.3 combines the shares of a set S of trustees (|S| ≥ t, distinct indices, none 0) into the
 * plaintext points mᶜ·G = βᶜ − Σ_{j∈S} λ_j·M_jᶜ. Throws when S is too small or malformed.
 */
export function combineDecryptionShares(ciphertexts: readonly Ciphertext[], shares: readonly { readonly index: number; readonly M: readonly Point[] }[], t: number): Point[] {
  if (shares.length < t) throw new Error(`${shares.length} decryption shares, ${t} needed`);
  const lambdas = lagrangeAtZero(shares.map((s) => s.index));
  for (const s of shares) if (s.M.length !== ciphertexts.length) throw new Error(`trustee ${s.index} gave ${s.M.length} shares for ${ciphertexts.length} ciphertexts`);
  return ciphertexts.map((c, pos) => c.beta.subtract(msm(shares.map((s) => s.M[pos]), lambdas)));
}

/**
 * T.8.4 the whole tally decryption as an observer runs it: checks every message (qualified trustee,
 * one message each, valid signature and proofs), combines the valid ones if there are at least t,
 * and solves each total by discrete log in [0, bound]. `result` is null with a `failure` otherwise.
 */
export function decryptTally(input: {
  readonly fingerprint: Uint8Array;
  readonly t: number;
  readonly ciphertexts: readonly Ciphertext[];
  readonly verificationKeys: ReadonlyMap<number, Point>;
  readonly signingKeys: ReadonlyMap<number, Point>;
  readonly messages: readonly DecryptionMessage[];
  readonly bound: number;
  readonly rng?: RandomSource;
}): { result: number[] | null; failure: string | null; used: number[]; refused: Refusal[] } {
  const refused: Refusal[] = [];
  const valid = new Map<number, DecryptionMessage>();
  for (const m of input.messages) {
    const Yj = input.verificationKeys.get(m.index);
    const signingKey = input.signingKeys.get(m.index);
    const reason =
      Yj === undefined || signingKey === undefined
        ? `trustee ${m.index} is not qualified`
        : valid.has(m.index)
          ? `a second decryption message from trustee ${m.index}`
          : checkDecryptionShares(m, { fingerprint: input.fingerprint, ciphertexts: input.ciphertexts, verificationKey: Yj, signingKey }, input.rng);
    if (reason === null) valid.set(m.index, m);
    else refused.push({ kind: 'decryption', index: m.index, reason });
  }
  const used = [...valid.keys()].sort((a, b) => a - b);
  if (used.length < input.t) return { result: null, failure: `${used.length} valid decryption shares, ${input.t} needed`, used, refused };
  const points = combineDecryptionShares(
    input.ciphertexts,
    used.map((j) => ({ index: j, M: valid.get(j)!.shares.map((s) => s.M) })),
    input.t,
  );
  const dlog = new DiscreteLog(input.bound);
  const result: number[] = [];
  for (let pos = 0; pos < points.length; pos++) {
    const m = dlog.solve(points[pos]);
    if (m === null) return { result: null, failure: `total ${pos} is not in [0, ${input.bound}]`, used, refused };
    result.push(m);
  }
  return { result, failure: null, used, refused };
}

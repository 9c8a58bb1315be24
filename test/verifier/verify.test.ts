/**
 * The verifier on demo records (spec §V): a demo poll verifies and its result is the demo's own count;
 * a second, independent recomputation of the tally and of the Lagrange combination agrees; saved
 * checkpoints are extended by an honest record and a forked one is reported with evidence.
 */
import { ristretto255 } from '@noble/curves/ed25519.js';
import { modInv } from 'bigint-crypto-utils';
import { beforeAll, describe, expect, it } from 'vitest';
import { L, decodeBallot, decodeTrusteeMessage, encodePoint, toHex } from '../../crypto/index.ts';
import { decodeManifest, manifestShapes, parseRecord, type Manifest } from '../../bulletin-board/index.ts';
import { inThreadProofs, verifyRecord, type VerifyReport } from '../../verifier/index.ts';
import { runDemoPoll, type DemoPoll } from '../../server/demo/demo-poll.ts';
import { createProofWorkers } from '../../server/cli/proof-workers.ts';

function recordOf(poll: DemoPoll): Uint8Array {
  return new Uint8Array(Buffer.concat([...poll.board.exportRecord()]));
}

let poll: DemoPoll;
let record: Uint8Array;
let report: VerifyReport;

beforeAll(async () => {
  poll = await runDemoPoll({ voters: 24, trustees: 3, threshold: 2, seed: 'verifier test' });
  record = recordOf(poll);
  report = await verifyRecord([record]);
});

const RistrettoPoint = ristretto255.Point;
type P = InstanceType<typeof RistrettoPoint>;

describe('a demo record', () => {
  it('verifies, and its result is what the demo counted in the clear', () => {
    expect(report.failures).toEqual([]);
    expect(report.valid).toBe(true);
    expect(report.phase).toBe('done');
    expect(report.counted).toBe(24);
    expect(report.ballots).toBe(poll.ballots);
    expect(report.audits).toBe(poll.audits);
    const flat = report.result!.flatMap((q) => [...q.options.map((o) => o.total), ...(q.blank === null ? [] : [q.blank])]);
    expect(flat).toEqual(poll.plain);
    expect(report.result!.map((q) => q.question)).toEqual(poll.manifest.questions.map((q) => q.prompt[0]));
    expect(report.checks).toEqual(['V1', 'V2', 'V4', 'V8', 'V9', 'V10', 'V11', 'V13', 'V15', 'V16', 'V18', 'V19', 'V20', 'V21', 'V23', 'V24', 'V26', 'V27', 'V28', 'V29', 'V33', 'V39', 'V41']);
  });

  it('gives the same report from worker threads, in chunks of any size', async () => {
    const workers = createProofWorkers(2);
    try {
      const chunks = Array.from({ length: Math.ceil(record.length / 777) }, (_, i) => record.subarray(i * 777, (i + 1) * 777));
      const threaded = await verifyRecord(chunks, { proofs: workers, batch: 7 });
      expect(threaded).toEqual(report);
    } finally {
      await workers.close();
    }
  });

  it('agrees with an independent recomputation of the tally and the Lagrange combination', () => {
    // Deliberately apart from the verifier: header read by hand, last ballot per credential by hand,
    // sums with noble's point addition, λ_j = Π k/(k − j) with bigint-crypto-utils, no msm, no DiscreteLog.
    const { entries } = parseRecord(record);
    const manifest: Manifest = decodeManifest(entries[0].subarray(50));
    const shapes = manifestShapes(manifest);
    const last = new Map<string, { alpha: P; beta: P }[]>();
    let tallyPayload: Uint8Array | null = null;
    const decryptions: Uint8Array[] = [];
    let resultPayload: Uint8Array | null = null;
    for (const e of entries) {
      const type = e[0];
      const payload = e.subarray(50);
      if (type === 8) {
        const b = decodeBallot(payload, shapes);
        last.set(toHex(encodePoint(b.credential)), b.answers.flatMap((a) => a.slots.map((s) => ({ alpha: RistrettoPoint.fromHex(toHex(encodePoint(s.alpha))), beta: RistrettoPoint.fromHex(toHex(encodePoint(s.beta))) }))));
      } else if (type === 11) tallyPayload = payload;
      else if (type === 12) decryptions.push(payload);
      else if (type === 13) resultPayload = payload;
    }
    const slots = shapes.reduce((s, q) => s + q.slotMax.length, 0);
    const sums = Array.from({ length: slots }, (_, s) => {
      let alpha = RistrettoPoint.ZERO;
      let beta = RistrettoPoint.ZERO;
      for (const cts of last.values()) {
        alpha = alpha.add(cts[s].alpha);
        beta = beta.add(cts[s].beta);
      }
      return { alpha, beta };
    });
    // The tally entry: u32 counted ‖ u64 weight ‖ u32 m ‖ m × (α ‖ β) (§B.1.6.6); every weight is 1 here.
    const t = tallyPayload!;
    expect(new DataView(t.buffer, t.byteOffset).getUint32(0)).toBe(last.size);
    sums.forEach((c, s) => {
      expect(toHex(t.subarray(16 + 64 * s, 48 + 64 * s))).toBe(c.alpha.toHex());
      expect(toHex(t.subarray(48 + 64 * s, 80 + 64 * s))).toBe(c.beta.toHex());
    });
    // Lagrange at 0 over the trustees who decrypted, and β − Σ λ_j·M_j = total·G for every slot.
    const shares = decryptions.map((d) => {
      const m = decodeTrusteeMessage(d);
      if (m.kind !== 'decryption') throw new Error('not a decryption message');
      return { index: m.index, M: m.shares.map((x) => RistrettoPoint.fromHex(toHex(encodePoint(x.M)))) };
    });
    expect(shares.map((s) => s.index)).toEqual([1, 2]);
    const lambda = (j: number) =>
      shares.reduce((acc, { index: k }) => (k === j ? acc : (((acc * BigInt(k)) % L) * modInv(((BigInt(k - j) % L) + L) % L, L)) % L), 1n);
    const r = resultPayload!;
    sums.forEach((c, s) => {
      let combined = c.beta;
      for (const sh of shares) combined = combined.subtract(sh.M[s].multiply(lambda(sh.index)));
      const total = Number(new DataView(r.buffer, r.byteOffset + 4 + 8 * s).getBigUint64(0));
      expect(total).toBe(poll.plain[s]);
      expect(combined.equals(total === 0 ? RistrettoPoint.ZERO : RistrettoPoint.BASE.multiply(BigInt(total)))).toBe(true);
    });
  });
});

describe('saved checkpoints (append-only across time)', () => {
  it('are extended by the honest record: a checkpoint saved while voting passes', async () => {
    const early = await runDemoPoll({ voters: 8, trustees: 1, threshold: 1, seed: 'append-only' });
    // The checkpoint after the credentials: a prefix of the same log, signed by the same key.
    const full = recordOf(early);
    const notes = Array.from({ length: early.board.size + 1 }, (_, size) => early.board.checkpointAt(size)).filter((n) => n !== null);
    expect(notes.length).toBeGreaterThan(10);
    const r = await verifyRecord([full], { checkpoints: notes, proofs: inThreadProofs });
    expect(r.failures).toEqual([]);
    expect(r.checks).toContain('V14');
  });

  it('report a forked log with both signed checkpoints as evidence', async () => {
    // Same seed: same poll id, origin and log key; different voters: the logs part at height 1.
    const a = await runDemoPoll({ voters: 3, trustees: 1, threshold: 1, seed: 'fork' });
    const b = await runDemoPoll({ voters: 4, trustees: 1, threshold: 1, seed: 'fork' });
    expect(a.manifest.origin).toBe(b.manifest.origin);
    const saved = a.board.latestCheckpoint()!;
    const r = await verifyRecord([recordOf(b)], { checkpoints: [saved] });
    const v14 = r.failures.filter((f) => f.check === 'V14');
    expect(v14).toHaveLength(1);
    expect(v14[0].reason).toMatch(/equivocated/);
    expect(v14[0].evidence![0]).toBe(saved);
    expect(v14[0].evidence![1]).toBe(b.board.latestCheckpoint());
    expect(r.valid).toBe(false);
  });

  it('report a record shorter than a checkpoint saved earlier (rolled back)', async () => {
    const a = await runDemoPoll({ voters: 3, trustees: 1, threshold: 1, seed: 'rollback' });
    const longer = a.board.latestCheckpoint()!;
    const size = [...Array(a.board.size).keys()].reverse().find((n) => n < a.board.size - 5 && a.board.checkpointAt(n) !== null)!;
    const r = await verifyRecord([...a.board.exportRecord(size)], { checkpoints: [longer] });
    expect(r.entries).toBe(size);
    expect(r.failures.map((f) => f.check)).toContain('V14');
    expect(r.failures.find((f) => f.check === 'V14')!.reason).toMatch(/rolled back or forked/);
  });
});

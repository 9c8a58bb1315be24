/**
 * The board's figures for `gongshi bench`: durable ballot appends per second through the rules (batch
 * proof verification, one SQLite transaction per group), the same appends one at a time, proof
 * verification alone for comparison, and proof sizes at one million entries (computed). Spec §B.5.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as c from '../../crypto/index.ts';
import { Board, consistencyProofSize, encodeManifest, hashManifest, inclusionProofSize, manifestShapes, signCredentialList } from '../../bulletin-board/index.ts';
import { SqliteStorage } from '../../bulletin-board/store/index.ts';
import { playCeremony } from '../demo/ceremony.ts';
import { demoManifest } from '../demo/demo-poll.ts';
import { progress } from './progress.ts';

export interface BoardFigures {
  board_append_per_s: number;
  board_append_sequential_per_s: number;
  board_verify_only_per_s: number;
  board_append_ballots: number;
  inclusion_proof_bytes: number;
  consistency_proof_bytes: number;
}

const MILLION = 1_000_000;

/** Appends `count` ballots to a fresh SQLite board twice over (grouped, then one by one). */
export async function benchBoard(count: number, rng: c.RandomSource): Promise<BoardFigures> {
  const dir = mkdtempSync(join(tmpdir(), 'gongshi-bench-'));
  try {
    const grouped = await appendRun(join(dir, 'grouped.sqlite'), count, rng, true);
    const sequential = await appendRun(join(dir, 'sequential.sqlite'), Math.min(count, 200), rng, false);
    // Proofs are 32 bytes a hash; sizes are the largest over a spread of leaves.
    const leaves = [0, 1, MILLION / 2, MILLION - 2, MILLION - 1, 524_287, 524_288];
    return {
      board_append_per_s: grouped.appendPerS,
      board_append_sequential_per_s: sequential.appendPerS,
      board_verify_only_per_s: grouped.verifyPerS,
      board_append_ballots: count,
      inclusion_proof_bytes: 32 * Math.max(...leaves.map((i) => inclusionProofSize(i, MILLION))),
      consistency_proof_bytes: 32 * Math.max(...[1, 1000, MILLION / 2, MILLION - 1].map((m) => consistencyProofSize(m, MILLION))),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function appendRun(path: string, count: number, rng: c.RandomSource, grouped: boolean): Promise<{ appendPerS: number; verifyPerS: number }> {
  const { manifest, logKey, registrarSeed } = demoManifest(rng, { questions: 'single-5', trustees: 1, threshold: 1 });
  const board = await Board.open({ storage: new SqliteStorage(path), logKey, rng });
  try {
    const must = async (type: Parameters<Board['submit']>[0], payload: Uint8Array) => {
      const r = await board.submit(type, payload);
      if (!r.ok) throw new Error(`bug: bench ${type} refused: ${r.code} ${r.reason}`);
    };
    await must('manifest', encodeManifest(manifest));
    const voters = Array.from({ length: count }, () => c.generateKeyPair(rng));
    await must('credentials', signCredentialList(voters.map((v) => ({ key: v.publicKey, weight: 1 })), hashManifest(encodeManifest(manifest)), registrarSeed));
    await playCeremony(board, rng);
    await must('open', new Uint8Array(0));
    const e = board.state.election!;
    const shape = { questions: manifest.questions.map((q) => q.question) };
    const bar = progress(`making ${count} ballots for the board`, count);
    const ballots = voters.map((credential, i) => {
      bar.tick();
      return c.createBallot({ shape, key: e.jointKey, fingerprint: e.fingerprint, credential, answers: [{ values: [0, 1, 2, 3, 4].map((j) => (j === i % 5 ? 1 : 0)) }] }, rng).bytes;
    });
    bar.done();
    const t0 = performance.now();
    const ok = c.verifyBallots(ballots, { shapes: manifestShapes(manifest), key: e.jointKey, fingerprint: e.fingerprint }, rng);
    const verifyMs = performance.now() - t0;
    if (!ok.every(Boolean)) throw new Error('bug: a bench ballot failed');
    process.stderr.write(`appending ${count} ballots ${grouped ? 'all at once (grouped commits)' : 'one at a time'}…\n`);
    const t1 = performance.now();
    if (grouped) {
      const results = await Promise.all(ballots.map((b) => board.submit('ballot', b)));
      if (!results.every((r) => r.ok)) throw new Error('bug: the board refused a bench ballot');
    } else {
      for (const b of ballots) await must('ballot', b);
    }
    const appendMs = performance.now() - t1;
    return { appendPerS: Math.round((count / appendMs) * 1000), verifyPerS: Math.round((count / verifyMs) * 1000) };
  } finally {
    board.close();
  }
}

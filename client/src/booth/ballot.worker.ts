/**
 * The booth's Web Worker: encrypts, proves and signs a ballot (spec §Q.5) off the page's thread, so
 * the page stays responsive on a slow phone. Reports progress as the number of random draws made so
 * far (the proofs draw as they go), and answers with the ballot's bytes, tracker and opening.
 */
import { createBallot, decodePoint, deriveCredential, fromHex, prepareKey, systemRandom, type Answer, type BallotShape } from '../../../crypto/index.ts';

export interface MakeBallotRequest {
  readonly poll: string;
  readonly code: string;
  readonly shape: BallotShape;
  readonly jointKey: string;
  readonly fingerprint: string;
  readonly answers: readonly Answer[];
}

export type MakeBallotReply =
  | { readonly type: 'progress'; readonly draws: number }
  | { readonly type: 'done'; readonly bytes: Uint8Array; readonly tracker: Uint8Array; readonly values: number[][]; readonly r: bigint[][]; readonly draws: number }
  | { readonly type: 'failed'; readonly message: string };

const scope = self as unknown as { onmessage: ((e: MessageEvent<MakeBallotRequest>) => void) | null; postMessage(m: MakeBallotReply): void };

scope.onmessage = (e) => {
  const req = e.data;
  try {
    let draws = 0;
    const rng = (n: number) => {
      draws++;
      if (draws % 8 === 0) scope.postMessage({ type: 'progress', draws });
      return systemRandom(n);
    };
    const made = createBallot(
      {
        shape: req.shape,
        key: prepareKey(decodePoint(fromHex(req.jointKey, 'jointKey'), 'jointKey')),
        fingerprint: fromHex(req.fingerprint, 'fingerprint'),
        credential: deriveCredential(req.code, fromHex(req.poll, 'poll')),
        answers: req.answers,
      },
      rng,
    );
    scope.postMessage({
      type: 'done',
      bytes: made.bytes,
      tracker: made.tracker,
      values: made.opening.values.map((v) => [...v]),
      r: made.opening.r.map((r) => [...r]),
      draws,
    });
  } catch (err) {
    scope.postMessage({ type: 'failed', message: err instanceof Error ? err.message : String(err) });
  }
};

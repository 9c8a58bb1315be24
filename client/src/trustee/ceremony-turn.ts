/**
 * The trustee's turn in the key ceremony, decided from the board her own browser replayed: which
 * message of the open step is hers to post, made from the secrets this tab holds. Spec §T.2–T.7,
 * §B.4.5; the same steps as TrusteeDevice in test/server/support.ts. Messages already made are kept
 * and posted again unchanged (a reveal must be the very one its commit hashed, T.3.4). Before any of
 * it, the board must hold under her index exactly what this tab posted (verifier checkOwnMessages);
 * if not, the server speaks in her name and she makes nothing more.
 */
import {
  bytesEqual,
  commitTrustee,
  createTrustee,
  dealShares,
  deriveKeyShare,
  evaluateCeremony,
  reviewShares,
  signTranscript,
  type CeremonyOutcome,
} from '../../../crypto/index.ts';
import type { BoardState } from '../../../bulletin-board/index.ts';
import { checkOwnMessages, type Discrepancy, type OwnMessagesVerdict, type PostedMessage } from '../../../verifier/index.ts';
import { saveSecrets, type RunSecrets } from './saved-secrets.ts';
import type { Action } from './worker-protocol.ts';

type Ceremony = NonNullable<BoardState['ceremony']>;

const has = (list: readonly { readonly index: number }[], index: number) => list.some((m) => m.index === index);

/** T.6 the outcome of the run's record before any finish message: what each trustee signs in step 6. */
export function outcomeToSign(c: Ceremony): Promise<CeremonyOutcome> {
  return evaluateCeremony(c.params, { ...c.record, finishes: [] });
}

/** The secrets this tab holds for the board's current run, if any. */
export function heldForRun(c: Ceremony, held: RunSecrets | null, index: number): RunSecrets | null {
  if (held === null || held.secrets.index !== index || !bytesEqual(held.secrets.params.election, c.params.election)) return null;
  return held;
}

/**
 * Her own messages in every run of the board (`runs`, in order; the last may be the current one, and
 * every earlier run is over): the discrepancies of all of them, or ok.
 */
export function checkRuns(runs: readonly Ceremony[], state: BoardState, index: number, posted: readonly PostedMessage[]): OwnMessagesVerdict {
  const discrepancies: Discrepancy[] = [];
  for (const c of runs) {
    const over = c !== state.ceremony || state.phase !== 'ceremony';
    const verdict = checkOwnMessages(c, over, index, posted);
    if (!verdict.ok) discrepancies.push(...verdict.discrepancies);
  }
  return discrepancies.length === 0 ? { ok: true } : { ok: false, discrepancies };
}

/**
 * What trustee `index` should do now, given the messages this tab posted (`posted`, all runs).
 * Returns the action and the secrets to hold from now on (new ones in step 1, the polynomial in
 * step 2, the key share in step 6). A board that holds, under her index, a message this tab did not
 * post (or lacks one it did) is an alarm, never "lost": a tab that posted nothing is the only one
 * that cannot tell.
 */
export async function takeTurn(state: BoardState, index: number, held: RunSecrets | null, posted: readonly PostedMessage[]): Promise<{ action: Action; held: RunSecrets | null }> {
  const c = state.ceremony;
  if (c === null || state.phase !== 'ceremony') return { action: { kind: 'none' }, held };
  const verdict = checkOwnMessages(c, false, index, posted);
  if (!verdict.ok) return { action: { kind: 'alarm', discrepancies: verdict.discrepancies }, held };
  const r = c.record;
  const mine = heldForRun(c, held, index);
  const post = (run: RunSecrets, messages: Uint8Array[], reviewDone = false) => ({
    action: { kind: 'post', step: c.step, messages, reviewDone, saved: saveSecrets(run) } as const,
    held: run,
  });
  const none = { action: { kind: 'none' } as const, held };
  const lost = { action: { kind: 'lost' } as const, held };
  const leftOut = { action: { kind: 'left-out' } as const, held };
  switch (c.step) {
    case 1: {
      // The identity on the board is one this tab posted (checked above) or was made elsewhere; only
      // the secrets of that very identity can go on.
      const onBoard = r.identities.find((m) => m.index === index);
      if (onBoard) return mine?.identity && bytesEqual(mine.identity, onBoard.bytes) ? none : lost;
      if (mine?.identity) return post(mine, [mine.identity]);
      const made = createTrustee(c.params, index);
      return post({ secrets: made.secrets, identity: made.identity.bytes }, [made.identity.bytes]);
    }
    case 2: {
      if (!has(r.identities, index)) return leftOut;
      if (has(r.commits, index)) return none;
      if (!mine) return lost;
      if (mine.commit) return post(mine, [mine.commit]);
      const { commit, reveal } = commitTrustee(mine.secrets);
      return post({ ...mine, commit: commit.bytes, reveal: reveal.bytes }, [commit.bytes]);
    }
    case 3: {
      if (!has(r.commits, index)) return leftOut;
      if (has(r.reveals, index)) return none;
      if (!mine?.reveal) return lost;
      return post(mine, [mine.reveal]);
    }
    case 4: {
      if (!has(r.reveals, index)) return leftOut;
      if (has(r.shares, index)) return none;
      if (!mine?.secrets.coefficients) return lost;
      return post(mine, [(await dealShares(mine.secrets, r.identities)).bytes]);
    }
    case 5: {
      if (!has(r.shares, index)) return leftOut;
      if (!mine) return lost;
      // T.5 complain about every bad share dealt to her, once; then tell the server the review is done.
      const complained = new Set(r.complaints.filter((m) => m.index === index).map((m) => m.accused));
      const complaints = (await reviewShares(mine.secrets, r)).filter((m) => !complained.has(m.accused));
      return post(mine, complaints.map((m) => m.bytes), true);
    }
    case 6: {
      const outcome = await outcomeToSign(c);
      if (!outcome.ok) return none; // the page shows why the run failed; only the organiser can start another
      if (!outcome.qualified.includes(index)) return leftOut;
      if (has(r.finishes, index)) return none;
      if (!mine) return lost;
      if (mine.keyShare === undefined) {
        if (!mine.secrets.coefficients) return lost;
        const keyShare = await deriveKeyShare(mine.secrets, outcome); // T.7.1; forgets the polynomial
        const next = { ...mine, keyShare };
        return { action: { kind: 'key-file', saved: saveSecrets(next) }, held: next };
      }
      return { action: { kind: 'key-file', saved: saveSecrets(mine) }, held: mine };
    }
  }
  return none;
}

/**
 * T.7.2 step 6: her finish message, signing the transcript of the outcome her browser computed.
 * Refuses (throws) when the board holds messages in her name that this tab did not post.
 */
export async function signFinish(state: BoardState, held: RunSecrets | null, index: number, posted: readonly PostedMessage[]): Promise<Uint8Array> {
  const c = state.ceremony;
  if (c === null || state.phase !== 'ceremony' || c.step !== 6) throw new Error('step 6 of the ceremony is not open');
  if (!checkOwnMessages(c, false, index, posted).ok) throw new Error('the board holds messages in your name that this tab did not post: it signs nothing');
  const mine = heldForRun(c, held, index);
  if (!mine || mine.keyShare === undefined) throw new Error('this tab does not hold your key share');
  return signTranscript(mine.secrets, await outcomeToSign(c), mine.keyShare).bytes;
}

/**
 * The trustee console's Web Worker: replays the board through the rules (spec §B.4), holds the
 * trustee's secrets, makes her ceremony messages, her key file and her decryption shares. The page
 * never waits on this work, and the secrets stay in this worker and the tab's sessionStorage.
 * Requests are handled one at a time, in order, so the board never changes under a computation.
 */
import type { TrusteeKey } from '../../../crypto/index.ts';
import { checkRuns, signFinish, takeTurn } from './ceremony-turn.ts';
import { decideDecryption, makeKeyFile, openAndCheck } from './key-work.ts';
import { Replay } from './replay.ts';
import { restoreSecrets, type RunSecrets } from './saved-secrets.ts';
import { summariseBoard } from './board-summary.ts';
import type { Answers, Reply, Request } from './worker-protocol.ts';

let replay = new Replay();
let held: RunSecrets | null = null;
/** her key, opened for decrypting and kept only while she compares the checkpoint aloud (k = 0) */
let opened: TrusteeKey | null = null;

class BoardBroken extends Error {
  constructor(
    readonly height: number,
    message: string,
  ) {
    super(message);
  }
}

const reply = (r: Reply) => (self as unknown as Worker).postMessage(r);

async function handle(id: number, req: Request): Promise<Answers[Request['op']]> {
  const progress = (fraction: number) => reply({ id, progress: fraction });
  const { state, runs } = replay;
  switch (req.op) {
    case 'apply': {
      for (let k = 0; k < req.entries.length; k++) {
        const v = await replay.apply(req.entries[k]);
        if (!v.ok) throw new BoardBroken(state.height, `${v.code}: ${v.reason}`);
        if (req.entries.length > 20 && k % 10 === 0) progress(k / req.entries.length);
      }
      return summariseBoard(state, replay.manifestBytes);
    }
    case 'restore':
      try {
        held = req.saved === null ? null : restoreSecrets(req.saved);
      } catch {
        held = null; // unreadable: as if this tab held nothing (the page then says so if a step needs them)
      }
      return null;
    case 'check-mine':
      return checkRuns(runs, state, req.index, req.posted);
    case 'act': {
      const mine = checkRuns(runs, state, req.index, req.posted);
      if (!mine.ok) return { kind: 'alarm', discrepancies: mine.discrepancies };
      const turn = await takeTurn(state, req.index, held, req.posted);
      held = turn.held;
      return turn.action;
    }
    case 'make-key-file':
      return makeKeyFile(state, held, replay.seen, req.passphrase, progress);
    case 'sign':
      if (!checkRuns(runs, state, req.index, req.posted).ok) throw new Error('the board holds messages in your name that this tab did not post: it signs nothing');
      return signFinish(state, held, req.index, req.posted);
    case 'check-key':
      return (await openAndCheck(state, req.file, req.passphrase, req.index, progress)).check;
    case 'decrypt': {
      const outcome = await decideDecryption(replay, req.key === null ? opened : req.key, req, progress);
      opened = outcome.kind === 'compare' ? outcome.key : null;
      return outcome.kind === 'compare' ? { kind: 'compare', checkpoint: outcome.checkpoint } : outcome;
    }
  }
}

let queue: Promise<unknown> = Promise.resolve();

self.onmessage = (event: MessageEvent<{ id: number; request: Request }>) => {
  const { id, request } = event.data;
  queue = queue.then(async () => {
    try {
      reply({ id, answer: await handle(id, request) });
    } catch (e) {
      if (e instanceof BoardBroken) {
        // The board broke its own rules: start again from nothing next time, and say where.
        replay = new Replay();
        opened = null;
        reply({ id, failure: { code: 'BOARD_BROKEN', message: e.message, height: e.height } });
      } else reply({ id, failure: { code: 'FAILED', message: e instanceof Error ? e.message : String(e) } });
    }
  });
};

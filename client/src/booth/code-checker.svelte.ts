/**
 * "Check my code", run in the browser: the resident's credential (derived from her code on this device,
 * §C.4, by the page) is looked up in the board this device downloads whole and replays against its
 * signed checkpoint (verifier/signed-board.ts): whether the registrar's list names it, and every ballot
 * and audit cast with it (verifier/credential-history.ts). The requests name only the poll and entry
 * heights: neither the code, nor the secret, nor even the public key is sent. Spec §B.1.5.1, §B.1.6.1, §B.4.6.
 */
import { compareFingerprint, credentialHistory, replaySignedBoard, type CredentialHistory } from '../../../verifier/index.ts';
import { toHex } from '../../../crypto/index.ts';
import { formatPollFingerprint, pollFingerprint } from '../../../bulletin-board/index.ts';
import { ApiError, fromBase64, get } from '../lib/api.ts';
import type { MessageKey } from '../i18n/index.ts';

const PAGE = 200;

export interface CodeCheckResult {
  readonly history: CredentialHistory;
  /** the signed checkpoint's size the board was checked against */
  readonly size: number;
  readonly fingerprint: string;
  readonly maxBallots: number;
  /** the poll takes ballots now */
  readonly open: boolean;
}

export class CodeChecker {
  running = $state(false);
  /** entries downloaded and replayed, of `size` */
  done = $state(0);
  size = $state(0);
  /** why there is no result: a sentence (key and values) */
  problem = $state<{ readonly key: MessageKey; readonly vars?: Record<string, string> } | null>(null);
  result = $state<CodeCheckResult | null>(null);

  /**
   * Looks `credential` (enc(X), 32 bytes) up on poll `poll`'s signed board. `fingerprint`, when given,
   * must be the manifest's (B.1.5.1), or nothing is looked up. Throws only on a bug.
   */
  async run(poll: string, credential: Uint8Array, fingerprint: string | undefined): Promise<void> {
    this.running = true;
    this.problem = null;
    this.result = null;
    this.done = 0;
    try {
      const latest = await get<{ size: number; checkpoint: string }>(`/api/polls/${poll}/checkpoint`);
      this.size = latest.size;
      const entries: Uint8Array[] = [];
      while (entries.length < latest.size) {
        const page = await get<{ entries: { height: number; bytes: string }[] }>(`/api/polls/${poll}/entries?from=${entries.length}&limit=${Math.min(PAGE, latest.size - entries.length)}`);
        if (page.entries.length === 0) break;
        for (const e of page.entries) if (entries.length < latest.size) entries.push(fromBase64(e.bytes));
        this.done = Math.floor(entries.length / 2);
      }
      const half = entries.length / 2;
      const board = await replaySignedBoard(entries, latest.checkpoint, (n) => (this.done = Math.floor(half + n / 2)));
      if (!board.ok) return void (this.problem = { key: 'booth.codeCheck.boardBroken', vars: { reason: board.reason } });
      this.done = this.size;
      if (board.state.manifest === null || toHex(board.state.manifest.pollId) !== poll) return void (this.problem = { key: 'booth.codeCheck.boardBroken', vars: { reason: 'the board is another poll’s' } });
      if (fingerprint !== undefined && fingerprint.trim() !== '') {
        const verdict = compareFingerprint(fingerprint, board.manifestBytes);
        if (!verdict.ok)
          return void (this.problem = verdict.reason === 'unreadable' ? { key: 'booth.check.fingerprintUnreadable' } : { key: 'booth.check.fingerprintDiffers', vars: { held: verdict.held, board: verdict.board } });
      }
      this.result = {
        history: credentialHistory(entries, credential),
        size: board.size,
        fingerprint: formatPollFingerprint(pollFingerprint(board.manifestBytes)),
        maxBallots: board.state.manifest.maxBallots,
        open: board.state.phase === 'open',
      };
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      this.problem = e.status === 0 ? { key: 'booth.codeCheck.unreachable' } : { key: 'booth.check.stopped', vars: { reason: e.message } };
    } finally {
      this.running = false;
    }
  }
}


/**
 * The voters' API: check a credential, cast a ballot or post an audit, and fetch receipts and
 * proofs. Nothing about the client (address, user agent, session) is stored with a ballot.
 * docs/api.md §Voters.
 */
import express, { Router } from 'express';
import { DecodeError, TRACKER_PREFIX_SYMBOLS, TRACKER_SYMBOLS } from '../../crypto/index.ts';
import { decodePayload } from '../../bulletin-board/index.ts';
import type { ApiDeps } from './deps.ts';
import { ApiError } from './errors.ts';
import { visiblePoll } from './poll-access.ts';
import { s } from './schema.ts';
import { originCheck, rateLimit } from './security.ts';

/** Q.6.4 ballots stay far below this; an audit adds its opening. */
const BALLOT_BYTES = 1 << 20;
const ballotBody = s.object({ ballot: s.base64({ max: BALLOT_BYTES }) });
const auditBody = s.object({ audit: s.base64({ max: 2 * BALLOT_BYTES }) });
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
/** Q.7.3 the start of a tracker in canonical symbols (upper-case Crockford base32), four groups at least. */
const trackerStart = s.string({ min: TRACKER_PREFIX_SYMBOLS, max: TRACKER_SYMBOLS, pattern: /^[0-9A-HJKMNP-TV-Z]+$/ });
/** Two are enough to tell one ballot from several: the client asks for more of the tracker then. */
const PREFIX_MATCHES = 2;

export function voterRoutes(deps: ApiDeps): Router {
  const r = Router();
  const castLimit = rateLimit('cast', deps.limits.cast, deps.clock);
  const credentialLimit = rateLimit('credential check', deps.limits.credential, deps.clock);
  const json = express.json({ limit: '4mb' });
  r.use(originCheck(deps.allowedOrigins, { requireOrigin: false }));

  r.get('/polls/:poll/credentials/:key', credentialLimit, (req, res) => {
    const poll = visiblePoll(deps, req);
    const key = s.hex(32)(req.params.key, 'key');
    const c = poll.board?.state.credentials.get(hex(key));
    const revoked = poll.board?.state.revoked.get(hex(key));
    if (revoked !== undefined) throw new ApiError('REVOKED', 'the registrar revoked this credential (its code was replaced): it can no longer vote', { height: revoked.height, time: revoked.time });
    if (c === undefined) throw new ApiError('NOT_LISTED', 'this credential is not on the poll’s list');
    res.json({ listed: true, weight: c.weight, ballots: c.ballots, audits: c.audits, maxBallots: poll.draft.maxBallots });
  });

  r.post('/polls/:poll/ballots', castLimit, json, async (req, res) => {
    const poll = visiblePoll(deps, req);
    const { ballot } = ballotBody(req.body, 'body');
    const before = poll.requireBoard().size;
    const receipt = await poll.cast('ballot', ballot, ballot);
    res.status(receipt.height >= before ? 201 : 200).json(receipt);
  });

  r.post('/polls/:poll/audits', castLimit, json, async (req, res) => {
    const poll = visiblePoll(deps, req);
    const { audit } = auditBody(req.body, 'body');
    const board = poll.requireBoard();
    if (board.state.shapes === null) throw new ApiError('WRONG_PHASE', 'the poll has no manifest yet');
    let ballotBytes: Uint8Array;
    try {
      const p = decodePayload('audit', audit, { shapes: board.state.shapes });
      if (p.type !== 'audit') throw new Error('bug: an audit payload decoded as another type');
      ballotBytes = p.ballotBytes;
    } catch (e) {
      if (e instanceof DecodeError) throw new ApiError('MALFORMED', `the audit: ${e.message}`, { field: `audit.${e.field}` });
      throw e;
    }
    const before = board.size;
    const receipt = await poll.cast('audit', audit, ballotBytes);
    res.status(receipt.height >= before ? 201 : 200).json(receipt);
  });

  r.get('/polls/:poll/receipts/:tracker', (req, res) => {
    const poll = visiblePoll(deps, req);
    const tracker = s.hex(32)(req.params.tracker, 'tracker');
    const height = poll.requireBoard().findTracker(tracker);
    if (height === null) throw new ApiError('NOT_FOUND', 'no ballot or audit with this tracker is on the board');
    res.json(poll.receipt(height));
  });

  r.get('/polls/:poll/trackers', (req, res) => {
    const poll = visiblePoll(deps, req);
    const q = s.object({ prefix: trackerStart }, [])(req.query, 'query');
    const trackers = poll.requireBoard().trackersStartingWith(q.prefix, PREFIX_MATCHES);
    res.json({ trackers: trackers.map(hex) });
  });

  r.get('/polls/:poll/proofs/inclusion', (req, res) => {
    const poll = visiblePoll(deps, req);
    const board = poll.requireBoard();
    const q = s.object({ height: s.intText(0, Number.MAX_SAFE_INTEGER), tracker: s.string({ max: 64 }), size: s.intText(1, Number.MAX_SAFE_INTEGER) }, ['height', 'tracker', 'size'])(req.query, 'query');
    let height = q.height;
    if (q.tracker !== undefined) {
      const found = board.findTracker(s.hex(32)(q.tracker, 'query.tracker'));
      if (found === null) throw new ApiError('NOT_FOUND', 'no ballot or audit with this tracker is on the board');
      height = found;
    }
    if (height === undefined) throw new ApiError('BAD_REQUEST', 'query: give height or tracker', { field: 'query.height' });
    const latest = board.size;
    const size = q.size ?? latest;
    if (height >= size) throw new ApiError('BAD_REQUEST', `query.size: entry ${height} is not in a tree of ${size} entries`, { field: 'query.size' });
    if (size > board.size) throw new ApiError('NOT_FOUND', `the board has ${board.size} entries`);
    const [stored] = board.entries(height, height + 1);
    res.json({ height, size, entryHash: hex(stored.hash), tracker: stored.tracker && hex(stored.tracker), path: board.inclusionProof(height, size).path.map(hex), checkpoint: board.checkpointAt(size) });
  });

  r.get('/polls/:poll/proofs/consistency', (req, res) => {
    const poll = visiblePoll(deps, req);
    const board = poll.requireBoard();
    const q = s.object({ from: s.intText(1, Number.MAX_SAFE_INTEGER), to: s.intText(1, Number.MAX_SAFE_INTEGER) }, ['to'])(req.query, 'query');
    const to = q.to ?? board.size;
    if (q.from > to) throw new ApiError('BAD_REQUEST', 'query.from: larger than to', { field: 'query.from' });
    if (to > board.size) throw new ApiError('NOT_FOUND', `the board has ${board.size} entries`);
    res.json({ from: q.from, to, path: board.consistencyProof(q.from, to).path.map(hex), checkpoint: board.checkpointAt(to) });
  });
  return r;
}

/**
 * What everyone may read: the polls, the board's entries, checkpoints with their witness
 * cosignatures, the result, and the whole record as one streamed file (spec §B.6) that
 * `gongshi verify URL` reads. Witnesses post their cosignatures here. docs/api.md §Everyone.
 */
import { Readable } from 'node:stream';
import express, { Router, type Request } from 'express';
import { DecodeError } from '../../crypto/index.ts';
import { SIG_TYPE_COSIGNATURE_V1, encodeNote, encodeVerifierKey, parseNote, parseVerifierKey, verifyCheckpoint, verifyCosignature, verifierKeyOf } from '../../bulletin-board/index.ts';
import { signedInOrganiser, visiblePoll } from './poll-access.ts';
import { listedWitnesses } from './witness-slots.ts';
import type { ApiDeps } from './deps.ts';
import { ApiError } from './errors.ts';
import { s } from './schema.ts';
import { originCheck, rateLimit } from './security.ts';
import { entryView, pollDetail, pollSummary, resultView } from './views.ts';

/** How far in the future a cosignature's timestamp may be (the witness's clock may run a little ahead). */
const MAX_CLOCK_SKEW_S = 600;
const PAGE = 200;
const cosignBody = s.object({ witness: s.string({ max: 300 }), cosigned: s.string({ max: 16_384 }) });

interface CosignatureRow {
  witness: string;
  size: number;
  signature: string;
}

export function publicRoutes(deps: ApiDeps): Router {
  const r = Router();
  const poll = (req: Request) => visiblePoll(deps, req);

  r.get('/health', (_req, res) => {
    res.json({ ok: true });
  });

  /** The address the server's links carry, so that the organiser's pages can warn when phones cannot open it. */
  r.get('/server', (_req, res) => {
    res.json({ publicUrl: deps.publicUrl() });
  });

  /** Published polls not hidden from the front page; with an organiser session, the drafts too (a server is one committee). */
  r.get('/polls', (req, res) => {
    const who = signedInOrganiser(deps, req);
    const polls = deps.polls.all().filter((p) => !p.hidden && (p.status() !== 'draft' || who !== null));
    res.json({ polls: polls.map(pollSummary) });
  });

  r.get('/polls/:poll', (req, res) => {
    res.json(pollDetail(poll(req)));
  });

  r.get('/polls/:poll/ceremony', async (req, res) => {
    res.json(await poll(req).ceremonyProgress());
  });

  r.get('/polls/:poll/entries', (req, res) => {
    const board = poll(req).requireBoard();
    const q = s.object({ from: s.intText(0, Number.MAX_SAFE_INTEGER), limit: s.intText(1, PAGE) }, ['from', 'limit'])(req.query, 'query');
    const from = q.from ?? 0;
    const to = Math.min(board.size, from + (q.limit ?? PAGE));
    res.json({ size: board.size, from, entries: from >= to ? [] : [...board.entries(from, to)].map(entryView) });
  });

  r.get('/polls/:poll/entries/:height', (req, res) => {
    const board = poll(req).requireBoard();
    const height = s.intText(0, Number.MAX_SAFE_INTEGER)(req.params.height, 'height');
    if (height >= board.size) throw new ApiError('NOT_FOUND', `the board has ${board.size} entries`);
    res.json(entryView([...board.entries(height, height + 1)][0]));
  });

  r.get('/polls/:poll/checkpoint', (req, res) => {
    const p = poll(req);
    const board = p.requireBoard();
    const rows = deps.db.prepare('SELECT witness, size, signature FROM cosignatures WHERE poll = ? ORDER BY witness').all(p.hex) as CosignatureRow[];
    res.json({
      size: board.size,
      checkpoint: board.latestCheckpoint(),
      logKey: encodeVerifierKey(verifierKeyOf(p.logKey)),
      witnesses: listedWitnesses(p),
      k: p.draft.witnesses?.k ?? 0,
      cosignatures: rows.map((c) => ({ witness: c.witness, size: c.size, cosigned: c.signature })),
    });
  });

  r.get('/polls/:poll/checkpoints/:size', (req, res) => {
    const board = poll(req).requireBoard();
    const size = s.intText(1, Number.MAX_SAFE_INTEGER)(req.params.size, 'size');
    const note = board.checkpointAt(size);
    if (note === null) throw new ApiError('NOT_FOUND', `the board signed no checkpoint of ${size} entries`);
    res.json({ size, checkpoint: note });
  });

  const cosignLimit = rateLimit('cosignature', deps.limits.cosign, deps.clock);
  r.post('/polls/:poll/cosignatures', cosignLimit, originCheck(deps.allowedOrigins, { requireOrigin: false }), express.json({ limit: '32kb' }), (req, res) => {
    const p = poll(req);
    const board = p.requireBoard();
    const body = cosignBody(req.body, 'body');
    let witnessKey;
    let verdict;
    let size: number;
    try {
      witnessKey = parseVerifierKey(body.witness);
      if (witnessKey.sigType !== SIG_TYPE_COSIGNATURE_V1) throw new ApiError('BAD_COSIGNATURE', 'body.witness: not a cosignature/v1 (type 0x04) key');
      const signed = verifyCheckpoint(body.cosigned, verifierKeyOf(p.logKey), p.origin);
      if (!signed.ok) throw new ApiError('BAD_COSIGNATURE', `body.cosigned: the log's signature does not verify (${signed.reason})`);
      size = signed.checkpoint.size;
      const ours = board.checkpointAt(size);
      if (ours === null || parseNote(ours).text !== parseNote(body.cosigned).text) throw new ApiError('BAD_COSIGNATURE', `body.cosigned: the board signed no such checkpoint of ${size} entries`);
      verdict = verifyCosignature(body.cosigned, witnessKey);
    } catch (e) {
      if (e instanceof DecodeError) throw new ApiError('BAD_COSIGNATURE', `body: ${e.message}`);
      throw e;
    }
    if (!verdict.ok) throw new ApiError('BAD_COSIGNATURE', `body.cosigned: the witness's cosignature ${verdict.reason === 'no-cosignature' ? 'is missing' : 'is invalid'}`);
    if (verdict.timestamp > deps.clock() / 1000 + MAX_CLOCK_SKEW_S) throw new ApiError('BAD_COSIGNATURE', 'body.cosigned: the cosignature is dated in the future');
    const witness = encodeVerifierKey(witnessKey);
    // Publish the board's own checkpoint note with this witness's line only, never other lines sent along.
    const own = parseNote(board.checkpointAt(size)!);
    const line = parseNote(body.cosigned).signatures.filter((x) => x.name === witnessKey.name && x.keyId === witnessKey.keyId);
    const cosigned = encodeNote({ text: own.text, signatures: [...own.signatures, ...line] });
    if (!listedWitnesses(p).includes(witness)) throw new ApiError('WITNESS_NOT_LISTED', 'the poll’s manifest does not name this witness: only its witnesses may cosign');
    const stored = deps.db.transaction(() => {
      const known = deps.db.prepare('SELECT size FROM cosignatures WHERE poll = ? AND witness = ?').get(p.hex, witness) as { size: number } | undefined;
      if (known !== undefined && known.size > size) {
        return false; // an older cosignature than the one published: kept out, not an error
      }
      deps.db.prepare('INSERT OR REPLACE INTO cosignatures (poll, witness, size, signature) VALUES (?, ?, ?, ?)').run(p.hex, witness, size, cosigned);
      return true;
    })();
    deps.log.info({ poll: p.hex, size, witness: witnessKey.name }, 'witness cosignature');
    res.status(stored ? 201 : 200).json({ witness, size, timestamp: verdict.timestamp });
  });

  r.get('/polls/:poll/result', (req, res) => {
    res.json(resultView(poll(req)));
  });

  /** B.6 the record at the latest checkpoint, streamed chunk by chunk. */
  r.get('/polls/:poll/record', (req, res) => {
    const p = poll(req);
    const board = p.requireBoard();
    if (board.size === 0) throw new ApiError('NOT_FOUND', 'the board is empty');
    // B.6 the final checkpoint carries every listed witness's cosignature of that very size (V40).
    const rows = deps.db.prepare('SELECT signature FROM cosignatures WHERE poll = ? AND size = ? ORDER BY witness').all(p.hex, board.size) as { signature: string }[];
    const own = board.checkpointAt(board.size);
    const final = own === null ? undefined : encodeNote({ text: parseNote(own).text, signatures: [...parseNote(own).signatures, ...rows.flatMap((r) => parseNote(r.signature).signatures.filter((x) => x.name !== p.origin))] });
    const chunks = board.exportRecord(board.size, final);
    res.set({ 'Content-Type': 'application/octet-stream', 'Content-Disposition': `attachment; filename="gongshi-${p.hex}.record"`, 'Cache-Control': 'no-store' });
    Readable.from(chunks, { objectMode: false }).pipe(res);
  });
  return r;
}

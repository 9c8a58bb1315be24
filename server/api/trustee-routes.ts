/**
 * The trustees' API, authorised by the secret link's token (Authorization: Bearer). The server only
 * relays signed messages to the board; it never sees a trustee secret. docs/api.md §Trustees.
 */
import express, { Router, type Request } from 'express';
import type { PollHost } from '../polls/poll-host.ts';
import type { ApiDeps } from './deps.ts';
import { ApiError } from './errors.ts';
import { pollIdParam, s } from './schema.ts';
import { originCheck } from './security.ts';

/** T.2 the largest trustee message: a decryption message of 100 000 shares is about 13 MB. */
const MESSAGE_BYTES = 16 << 20;
const messageBody = s.object({ message: s.base64({ max: MESSAGE_BYTES }) });

export function trusteeRoutes(deps: ApiDeps): Router {
  const r = Router();
  r.use(originCheck(deps.allowedOrigins, { requireOrigin: false }));

  const trustee = (req: Request): { poll: PollHost; index: number } => {
    const poll = deps.polls.get(pollIdParam(req.params.poll, 'poll'));
    const auth = req.get('authorization');
    const token = auth?.startsWith('Bearer ') ? auth.slice(7).trim() : '';
    if (token === '') throw new ApiError('BAD_TRUSTEE_TOKEN', 'send the token of your trustee link as Authorization: Bearer <token>');
    return { poll, index: poll.trusteeOf(token) };
  };

  r.get('/polls/:poll/trustee', async (req, res) => {
    const { poll, index } = trustee(req);
    const status = poll.status();
    res.json({
      poll: poll.hex,
      trustee: index,
      name: poll.draft.trustees.names[index - 1],
      languages: poll.draft.languages,
      title: poll.draft.title,
      status,
      ceremony: poll.board && status !== 'draft' ? await poll.ceremonyProgress() : null,
    });
  });

  r.post('/polls/:poll/trustee/messages', express.json({ limit: '24mb' }), async (req, res) => {
    const { poll, index } = trustee(req);
    const { message } = messageBody(req.body, 'body');
    const appended = await poll.postTrusteeMessage(index, message);
    deps.log.info({ poll: poll.hex, trustee: index, height: appended.height }, 'trustee message appended');
    res.status(201).json({ height: appended.height, hash: Buffer.from(appended.hash).toString('hex'), type: appended.type, checkpoint: appended.checkpoint });
  });

  r.post('/polls/:poll/trustee/review-done', async (req, res) => {
    const { poll, index } = trustee(req);
    await poll.reviewDone(index);
    res.json(await poll.ceremonyProgress());
  });
  return r;
}

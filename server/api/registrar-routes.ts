/**
 * The registrar's API, authorised by her secret link's token (Authorization: Bearer). Before the poll
 * is published she names her public key; after, she uploads credential lists she signed in her own
 * browser (spec §B.1.6.1). The server never sees a voter code. docs/api.md §Registrar.
 */
import express, { Router, type Request } from 'express';
import { MANIFEST_LIMITS } from '../../bulletin-board/index.ts';
import type { PollHost } from '../polls/poll-host.ts';
import type { ApiDeps } from './deps.ts';
import { ApiError } from './errors.ts';
import { credentialsBody, revocationBody } from './organiser-routes.ts';
import { pollIdParam, s } from './schema.ts';
import { originCheck } from './security.ts';

const keyBody = s.object({ name: s.string({ min: 1, max: MANIFEST_LIMITS.registrarName, pattern: /^[^\u0000-\u001f\u007f]+$/ }), key: s.string({ min: 64, max: 64, pattern: /^[0-9a-f]{64}$/ }) });

export function registrarRoutes(deps: ApiDeps): Router {
  const r = Router();
  // On each write route, as the organiser's: a router-level check with a path is not read by test/server/api-doc.test.ts.
  const sameSite = originCheck(deps.allowedOrigins, { requireOrigin: false });

  const registrar = (req: Request): PollHost => {
    const poll = deps.polls.get(pollIdParam(req.params.poll, 'poll'));
    const auth = req.get('authorization');
    const token = auth?.startsWith('Bearer ') ? auth.slice(7).trim() : '';
    if (token === '') throw new ApiError('BAD_REGISTRAR_TOKEN', 'send the token of your registrar link as Authorization: Bearer <token>');
    poll.requireRegistrar(token);
    return poll;
  };

  r.get('/polls/:poll/registrar', (req, res) => {
    const poll = registrar(req);
    res.json({ poll: poll.hex, status: poll.status(), title: poll.draft.title, languages: poll.draft.languages, registrar: poll.draft.registrar ?? null });
  });

  r.put('/polls/:poll/registrar/key', sameSite, express.json({ limit: '4kb' }), (req, res) => {
    const poll = registrar(req);
    const { name, key } = keyBody(req.body, 'body');
    poll.setRegistrar(name, key);
    deps.log.info({ poll: poll.hex }, 'registrar key named');
    res.json({ registrar: poll.draft.registrar });
  });

  r.post('/polls/:poll/registrar/credentials', sameSite, express.json({ limit: '16mb' }), async (req, res) => {
    const poll = registrar(req);
    const { credentials, signature } = credentialsBody(req.body, 'body');
    const done = await poll.uploadCredentials(credentials.map((c) => ({ key: c.key, weight: c.weight })), signature);
    deps.log.info({ poll: poll.hex, height: done.height }, 'credentials listed by the registrar');
    res.json(done);
  });

  r.post('/polls/:poll/registrar/revocations', sameSite, express.json({ limit: '4mb' }), async (req, res) => {
    const poll = registrar(req);
    const { keys, signature } = revocationBody(req.body, 'body');
    const done = await poll.revokeCredentials(keys, signature);
    deps.log.info({ poll: poll.hex, height: done.height, revoked: keys.length }, 'credentials revoked by the registrar');
    res.json(done);
  });
  return r;
}

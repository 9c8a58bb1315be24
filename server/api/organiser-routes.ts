/** The organisers' API: setup, login (accounts beyond: account-routes.ts), drafts, invitations, credentials, ceremony, open, close, tally. docs/api.md §Organiser. */
import express, { Router, type Request } from 'express';
import { DecodeError } from '../../crypto/index.ts';
import { CREDENTIAL_LIMITS, SIG_TYPE_COSIGNATURE_V1, encodeVerifierKey, parseVerifierKey } from '../../bulletin-board/index.ts';
import { MAX_WITNESSES } from './witness-slots.ts';
import { PASSWORD_LIMITS, SESSION_MS, type Organiser } from '../store/accounts.ts';
import { draftSchema, registrarSchema } from '../polls/draft.ts';
import type { PollHost } from '../polls/poll-host.ts';
import type { ApiDeps } from './deps.ts';
import { ApiError } from './errors.ts';
import { signedInOrganiser } from './poll-access.ts';
import { pollIdParam, s } from './schema.ts';
import { clearSessionCookie, originCheck, rateLimit, sessionCookie, setSessionCookie } from './security.ts';
import { pollDetail, pollSummary } from './views.ts';
import { accountRoutes } from './account-routes.ts';

const name = s.string({ min: 1, max: 100, pattern: /^[^\u0000-\u001f\u007f]+$/ });
const password = s.string({ min: PASSWORD_LIMITS.min, max: PASSWORD_LIMITS.max });
const setupToken = s.string({ min: 10, max: 100 });
const setupBody = s.object({ token: setupToken, name, password });
const setupCheckBody = s.object({ token: setupToken });
const loginBody = s.object({ name, password: s.string({ min: 1, max: PASSWORD_LIMITS.max }) });
const extendBody = s.object({ closesAt: s.int(1, 8_640_000_000_000_000) });
const draftBody = s.object({ draft: draftSchema });
const copyBody = s.object({ registrar: s.nullable(registrarSchema) }, ['registrar']);
const hiddenBody = s.object({ hidden: s.bool() });
const witnessesBody = s.object({ witnesses: s.array(s.string({ min: 1, max: 300 }), { max: MAX_WITNESSES }), k: s.int(0, MAX_WITNESSES) }, ['k']);
/** B.1.6.1 a list and the registrar's signature over it: shared with the registrar's route. */
export const credentialsBody = s.object({
  credentials: s.array(s.object({ key: s.point(), weight: s.int(1, CREDENTIAL_LIMITS.weight) }), { min: 1, max: CREDENTIAL_LIMITS.perEntry }),
  signature: s.hex(64),
});
/** B.1.6.10 credentials to revoke and the registrar's signature over them: shared with the registrar's route. */
export const revocationBody = s.object({
  keys: s.array(s.point(), { min: 1, max: CREDENTIAL_LIMITS.perEntry }),
  signature: s.hex(64),
});

export function organiserRoutes(deps: ApiDeps): Router {
  const r = Router();
  const loginLimit = rateLimit('login', deps.limits.login, deps.clock);
  // Guesses at one organiser's password from many addresses: limited per name too (the name sent to
  // sign in, else the signed-in organiser's, for a password change). Runs after the body is parsed.
  const nameLimit = rateLimit('sign-in for this name', deps.limits.login, deps.clock, (req) => {
    const sent = (req.body as { name?: unknown } | undefined)?.name;
    const account = typeof sent === 'string' ? sent : signedInOrganiser(deps, req)?.name;
    return account === undefined ? null : `name:${account}`;
  });
  // On each write route, not r.use(): a router-level check would also run for the trustee and voter
  // routes mounted after this router, and refuse their writes without Origin (from programs).
  const sameOrigin = originCheck(deps.allowedOrigins, { requireOrigin: true });

  const organiser = (req: Request): Organiser => {
    const who = signedInOrganiser(deps, req);
    if (who === null) throw new ApiError('UNAUTHENTICATED', 'sign in as an organiser first');
    return who;
  };
  const managedPoll = (req: Request): PollHost => {
    organiser(req);
    return deps.polls.get(pollIdParam(req.params.poll, 'poll'));
  };
  const json = express.json({ limit: '256kb' });

  r.post('/setup', sameOrigin, loginLimit, json, async (req, res) => {
    const body = setupBody(req.body, 'body');
    const who = await deps.accounts.completeSetup(body.token, body.name, body.password);
    if (who === null) throw new ApiError('BAD_SETUP_TOKEN', 'this setup link was already used or has expired (while the organiser has no password, each start of the server prints a new one)');
    setSessionCookie(res, deps.accounts.startSession(who), SESSION_MS, deps.secureCookies);
    deps.log.info({ organiser: who.id }, 'organiser account set up');
    res.status(201).json({ organiser: { name: who.name } });
  });

  // Whether a setup link still works, asked when the page opens: it consumes nothing.
  r.post('/setup/check', sameOrigin, loginLimit, json, (req, res) => {
    const body = setupCheckBody(req.body, 'body');
    if (!deps.accounts.setupTokenWorks(body.token)) throw new ApiError('BAD_SETUP_TOKEN', 'this setup link was already used or has expired (while the organiser has no password, each start of the server prints a new one)');
    res.json({ ok: true });
  });

  r.post('/session', sameOrigin, loginLimit, json, nameLimit, async (req, res) => {
    const body = loginBody(req.body, 'body');
    const who = await deps.accounts.login(body.name, body.password);
    if (who === null) throw new ApiError('BAD_LOGIN', 'wrong name or password');
    // A fresh session id at every login: a planted id is never promoted (session fixation).
    const old = sessionCookie(req);
    if (old !== null) deps.accounts.endSession(old);
    setSessionCookie(res, deps.accounts.startSession(who), SESSION_MS, deps.secureCookies);
    res.status(201).json({ organiser: { name: who.name } });
  });

  r.get('/session', (req, res) => {
    res.json({ organiser: { name: organiser(req).name } });
  });

  r.delete('/session', sameOrigin, (req, res) => {
    const id = sessionCookie(req);
    if (id !== null) deps.accounts.endSession(id);
    clearSessionCookie(res, deps.secureCookies);
    res.status(204).end();
  });

  r.use(accountRoutes(deps, { addressLimit: loginLimit, nameLimit }));

  // A server is one committee: every organiser sees and manages every poll; each says who made it.
  r.get('/organiser/polls', (req, res) => {
    organiser(req);
    const names = deps.accounts.names();
    res.json({ polls: deps.polls.all().map((p) => ({ ...pollSummary(p), hidden: p.hidden, madeBy: names.get(p.organiser) ?? null })) });
  });

  r.post('/polls', sameOrigin, json, (req, res) => {
    const who = organiser(req);
    const { draft } = draftBody(req.body, 'body');
    const poll = deps.polls.create(who.id, draft, deps.publicHost());
    deps.log.info({ poll: poll.hex }, 'draft poll created');
    res.status(201).json(pollDetail(poll));
  });

  r.put('/polls/:poll/draft', sameOrigin, json, (req, res) => {
    const poll = managedPoll(req);
    const { draft } = draftBody(req.body, 'body');
    poll.updateDraft(draft);
    res.json(pollDetail(poll));
  });

  // A draft is deleted with what exists for it alone; a published poll's record never (POLL_PUBLISHED).
  r.delete('/polls/:poll', sameOrigin, async (req, res) => {
    const poll = managedPoll(req);
    await deps.polls.delete(poll);
    deps.log.info({ poll: poll.hex }, 'draft poll deleted');
    res.status(204).end();
  });

  // A new draft from a draft or a published poll: its texts and settings, never its keys or links.
  r.post('/polls/:poll/copy', sameOrigin, json, (req, res) => {
    const who = organiser(req);
    const source = managedPoll(req);
    const { registrar } = copyBody(req.body ?? {}, 'body');
    const poll = deps.polls.copy(who.id, source, registrar ?? null, deps.publicHost());
    deps.log.info({ poll: poll.hex, from: source.hex }, 'draft poll copied');
    res.status(201).json(pollDetail(poll));
  });

  // Off the front page (a finished poll only) and back; the poll's own pages and record stay as they are.
  r.put('/polls/:poll/hidden', sameOrigin, json, (req, res) => {
    const poll = managedPoll(req);
    const { hidden } = hiddenBody(req.body, 'body');
    poll.setHidden(hidden);
    res.json({ ...pollSummary(poll), hidden: poll.hidden });
  });

  r.post('/polls/:poll/invites', sameOrigin, (req, res) => {
    const poll = managedPoll(req);
    const invites = poll.invite().map((i) => ({ ...i, link: `${deps.publicUrl()}/trustee/${poll.hex}#${i.token}` }));
    res.status(201).json({ invites });
  });

  r.post('/polls/:poll/publish', sameOrigin, async (req, res) => {
    const poll = managedPoll(req);
    await poll.publish();
    deps.log.info({ poll: poll.hex }, 'poll published');
    res.json(pollDetail(poll));
  });

  r.post('/polls/:poll/credentials', sameOrigin, express.json({ limit: '16mb' }), async (req, res) => {
    const poll = managedPoll(req);
    const { credentials, signature } = credentialsBody(req.body, 'body');
    const done = await poll.uploadCredentials(credentials.map((c) => ({ key: c.key, weight: c.weight })), signature);
    res.json(done);
  });

  r.post('/polls/:poll/revocations', sameOrigin, express.json({ limit: '4mb' }), async (req, res) => {
    const poll = managedPoll(req);
    const { keys, signature } = revocationBody(req.body, 'body');
    const done = await poll.revokeCredentials(keys, signature);
    deps.log.info({ poll: poll.hex, height: done.height, revoked: keys.length }, 'credentials revoked');
    res.json(done);
  });

  r.post('/polls/:poll/registrar-invite', sameOrigin, (req, res) => {
    const poll = managedPoll(req);
    const token = poll.inviteRegistrar();
    res.status(201).json({ link: `${deps.publicUrl()}/registrar/${poll.hex}#${token}` });
  });

  r.put('/polls/:poll/witnesses', sameOrigin, json, (req, res) => {
    const poll = managedPoll(req);
    const { witnesses, k } = witnessesBody(req.body, 'body');
    const keys = witnesses.map((w, i) => {
      try {
        const key = parseVerifierKey(w);
        if (key.sigType !== SIG_TYPE_COSIGNATURE_V1) throw new ApiError('BAD_REQUEST', `body.witnesses[${i}]: not a cosignature/v1 (type 0x04) key`, { field: `body.witnesses[${i}]` });
        return encodeVerifierKey(key);
      } catch (e) {
        if (e instanceof DecodeError) throw new ApiError('BAD_REQUEST', `body.witnesses[${i}]: ${e.reason}`, { field: `body.witnesses[${i}]` });
        throw e;
      }
    });
    const sorted = [...new Set(keys)].sort();
    const required = k ?? Math.min(sorted.length, poll.draft.witnesses?.k ?? sorted.length);
    if (required > sorted.length) throw new ApiError('BAD_REQUEST', `body.k: ${required} cosignatures required of ${sorted.length} witnesses`, { field: 'body.k' });
    poll.updateDraft({ ...poll.draft, witnesses: { keys: sorted, k: required } });
    res.json({ witnesses: sorted, k: required });
  });

  r.post('/polls/:poll/ceremony/restart', sameOrigin, async (req, res) => {
    const run = await managedPoll(req).restartCeremony();
    res.json({ run });
  });

  r.post('/polls/:poll/ceremony/advance', sameOrigin, async (req, res) => {
    const poll = managedPoll(req);
    await poll.advanceCeremony();
    res.json(await poll.ceremonyProgress());
  });

  r.post('/polls/:poll/extend', sameOrigin, json, async (req, res) => {
    const poll = managedPoll(req);
    const body = extendBody(req.body, 'body');
    await poll.extend(body.closesAt);
    deps.log.info({ poll: poll.hex, closesAt: body.closesAt }, 'closing time extended by the organiser');
    res.json(pollSummary(poll));
  });

  for (const act of ['open', 'close', 'tally'] as const) {
    r.post(`/polls/:poll/${act}`, sameOrigin, async (req, res) => {
      const poll = managedPoll(req);
      await poll[act]();
      deps.log.info({ poll: poll.hex, act }, 'poll moved on by the organiser');
      res.json(pollSummary(poll));
    });
  }
  return r;
}

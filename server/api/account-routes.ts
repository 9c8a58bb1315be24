/**
 * The organisers' accounts beyond the first setup: the list of organisers, invitations, password
 * reset links, changing a password, signing out everywhere. A server is one committee: every
 * organiser manages every poll. docs/api.md §Organisers.
 */
import express, { Router, type Request, type RequestHandler } from 'express';
import { PASSWORD_LIMITS, SESSION_MS, SETUP_TOKEN_MS, type Organiser } from '../store/accounts.ts';
import { accountLinkUrl } from '../store/account-links.ts';
import type { ApiDeps } from './deps.ts';
import { ApiError } from './errors.ts';
import { signedInOrganiser } from './poll-access.ts';
import { s } from './schema.ts';
import { clearSessionCookie, originCheck, sessionCookie, setSessionCookie } from './security.ts';

/** An organiser's name: the same rule as at the first setup. */
export const organiserName = s.string({ min: 1, max: 100, pattern: /^[^\u0000-\u001f\u007f]+$/ });
export const newPassword = s.string({ min: PASSWORD_LIMITS.min, max: PASSWORD_LIMITS.max });
const linkToken = s.string({ min: 10, max: 100 });
const checkBody = s.object({ token: linkToken });
const inviteBody = s.object({ token: linkToken, name: organiserName, password: newPassword });
const resetBody = s.object({ token: linkToken, password: newPassword });
const passwordBody = s.object({ current: s.string({ min: 1, max: PASSWORD_LIMITS.max }), password: newPassword });

const BAD_LINK = 'this link was already used, has expired, or was never made here (ask an organiser for a new one)';

/**
 * The account routes. `addressLimit` and `nameLimit` are the sign-in limits (per client address, per
 * organiser name), shared with POST /api/session so that every way of guessing draws on the same buckets.
 */
export function accountRoutes(deps: ApiDeps, limits: { addressLimit: RequestHandler; nameLimit: RequestHandler }): Router {
  const r = Router();
  const sameOrigin = originCheck(deps.allowedOrigins, { requireOrigin: true });
  const json = express.json({ limit: '16kb' });
  const { addressLimit, nameLimit } = limits;

  const organiser = (req: Request): Organiser => {
    const who = signedInOrganiser(deps, req);
    if (who === null) throw new ApiError('UNAUTHENTICATED', 'sign in as an organiser first');
    return who;
  };

  r.get('/organisers', (req, res) => {
    organiser(req);
    res.json({ organisers: deps.accounts.list() });
  });

  r.post('/organisers/invites', sameOrigin, (req, res) => {
    const who = organiser(req);
    const token = deps.accountLinks.invite(who);
    deps.log.info({ organiser: who.id }, 'organiser invitation made');
    res.status(201).json({ link: accountLinkUrl(deps.publicUrl(), 'invite', token), expires: deps.clock() + SETUP_TOKEN_MS });
  });

  // Whether an invitation or reset link works, asked when its page opens: it uses nothing.
  r.post('/account-links/check', sameOrigin, addressLimit, json, (req, res) => {
    const { token } = checkBody(req.body, 'body');
    const use = deps.accountLinks.check(token);
    if (use === null) throw new ApiError('BAD_ACCOUNT_LINK', BAD_LINK);
    res.json(use);
  });

  r.post('/account-links/invite', sameOrigin, addressLimit, json, async (req, res) => {
    const body = inviteBody(req.body, 'body');
    const who = await deps.accountLinks.acceptInvite(body.token, body.name, body.password);
    if (who === 'BAD_LINK') throw new ApiError('BAD_ACCOUNT_LINK', BAD_LINK);
    if (who === 'NAME_TAKEN') throw new ApiError('NAME_TAKEN', `there is already an organiser named ${JSON.stringify(body.name)}: choose another name`, { field: 'body.name' });
    startSession(req, res, who);
    deps.log.info({ organiser: who.id }, 'organiser joined by invitation');
    res.status(201).json({ organiser: { name: who.name } });
  });

  r.post('/account-links/reset', sameOrigin, addressLimit, json, async (req, res) => {
    const body = resetBody(req.body, 'body');
    const who = await deps.accountLinks.completeReset(body.token, body.password);
    if (who === 'BAD_LINK') throw new ApiError('BAD_ACCOUNT_LINK', BAD_LINK);
    startSession(req, res, who);
    deps.log.info({ organiser: who.id }, 'organiser password set by a reset link; her other sessions ended');
    res.status(201).json({ organiser: { name: who.name } });
  });

  r.put('/session/password', sameOrigin, addressLimit, json, nameLimit, async (req, res) => {
    const who = organiser(req);
    const { current, password } = passwordBody(req.body, 'body');
    if (!(await deps.accounts.changePassword(who, current, password, sessionCookie(req)!))) throw new ApiError('WRONG_PASSWORD', 'the current password is wrong', { field: 'body.current' });
    deps.log.info({ organiser: who.id }, 'organiser changed her password; her other sessions ended');
    res.json({ organiser: { name: who.name } });
  });

  r.delete('/sessions', sameOrigin, (req, res) => {
    const who = organiser(req);
    const ended = deps.accounts.endAllSessions(who);
    clearSessionCookie(res, deps.secureCookies);
    deps.log.info({ organiser: who.id, ended }, 'organiser signed out everywhere');
    res.status(204).end();
  });

  /** A fresh session for `who`, ending the one this browser sent (no session fixation). */
  function startSession(req: Request, res: express.Response, who: Organiser): void {
    const old = sessionCookie(req);
    if (old !== null) deps.accounts.endSession(old);
    setSessionCookie(res, deps.accounts.startSession(who), SESSION_MS, deps.secureCookies);
  }
  return r;
}

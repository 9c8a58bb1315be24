/** Which poll a public request names: a draft exists only for an organiser's session, on every read. */
import type { Request } from 'express';
import type { PollHost } from '../polls/poll-host.ts';
import type { ApiDeps } from './deps.ts';
import { ApiError } from './errors.ts';
import { pollIdParam } from './schema.ts';
import { sessionCookie } from './security.ts';

/** The organiser signed in on this request, or null. */
export function signedInOrganiser(deps: ApiDeps, req: Request): { id: number; name: string } | null {
  const id = sessionCookie(req);
  return id === null ? null : deps.accounts.session(id);
}

/** The poll of `req.params.poll`, or NOT_FOUND (also for a draft, unless an organiser is signed in: a server is one committee). */
export function visiblePoll(deps: ApiDeps, req: Request): PollHost {
  const p = deps.polls.get(pollIdParam(req.params.poll, 'poll'));
  if (p.status() === 'draft' && signedInOrganiser(deps, req) === null) throw new ApiError('NOT_FOUND', 'there is no poll with this id');
  return p;
}

/**
 * Where a poll's board is served: the API base of one poll, from either URL people are given (the
 * page `…/poll/<hex>` or the API `…/api/polls/<hex>`). The origin of a poll's log ends in
 * `/poll/<hex>` (spec §B.3.6, §G.2.3), which lets the witness tie a log key to the poll it asked for.
 */
import { PollUrlError } from './errors.ts';

export interface PollUrl {
  /** the poll id, 32 lower-case hex digits */
  readonly poll: string;
  /** `<scheme>://<host>[/<prefix>]/api/polls/<hex>`, without a trailing slash */
  readonly api: string;
}

const PATH = /^(.*?)\/(?:api\/polls|poll)\/([0-9a-f]{32})\/?$/;

/**
 * Parses `http(s)://host[/prefix]/poll/<hex>` or `http(s)://host[/prefix]/api/polls/<hex>` (a trailing
 * slash allowed; no query, no fragment, no credentials). Throws PollUrlError naming what is wrong.
 */
export function parsePollUrl(text: string): PollUrl {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new PollUrlError(`"${text}" is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new PollUrlError(`"${text}": only http and https URLs are followed`);
  if (url.username !== '' || url.password !== '') throw new PollUrlError(`"${text}": a poll URL carries no user name or password`);
  if (url.search !== '' || url.hash !== '') throw new PollUrlError(`"${text}": a poll URL has no query or fragment`);
  const m = PATH.exec(url.pathname);
  if (m === null) throw new PollUrlError(`"${text}" is not a poll URL: expected …/poll/<32 hex digits> or …/api/polls/<32 hex digits>`);
  const [, prefix, poll] = m;
  return { poll, api: `${url.origin}${prefix}/api/polls/${poll}` };
}

/** Whether a log origin names this poll: `<host>/poll/<hex>` (spec §B.3.6). */
export function originNamesPoll(origin: string, poll: string): boolean {
  return origin.endsWith(`/poll/${poll}`);
}

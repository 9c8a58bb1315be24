/**
 * The address that printed links of a poll may carry (code sheets, the mail-merge file, the notices),
 * checked against the poll's own record. The server names its public address (GET /api/server), but a
 * server that lies there would send every resident who scans a sheet to a stranger's site, her code in
 * the link. The manifest's origin (`<host>/poll/<id>`, spec §B.1.4) is part of the fingerprinted
 * manifest this device read from the board: a link's host must be that host. Pure and browser-safe.
 */

/** `address`: scheme and host, no trailing slash. `mismatch`: what the server said, and the host the record names. */
export type LinkAddress =
  | { readonly ok: true; readonly address: string }
  | { readonly ok: false; readonly said: string; readonly recorded: string | null; readonly reason: 'other-host' | 'not-an-address' | 'downgrade' };

/**
 * Accepts `said` (the server's public URL) only when its host (with port) is the host of the manifest's
 * `origin`, it is http or https with nothing after the host, and it does not downgrade to http a host
 * this page itself reached over https (`page`: this page's own address, when the device knows it).
 */
export function linkAddress(said: string, origin: string, page?: string): LinkAddress {
  const recorded = originHost(origin);
  const refuse = (reason: 'other-host' | 'not-an-address' | 'downgrade') => ({ ok: false, said, recorded, reason }) as const;
  let url: URL;
  try {
    url = new URL(said);
  } catch {
    return refuse('not-an-address');
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.username !== '' || url.password !== '' || url.search !== '' || url.hash !== '' || !/^\/*$/.test(url.pathname))
    return refuse('not-an-address');
  if (recorded === null || url.host !== recorded.toLowerCase()) return refuse('other-host');
  if (page !== undefined && url.protocol === 'http:') {
    try {
      const here = new URL(page);
      if (here.protocol === 'https:' && here.host === url.host) return refuse('downgrade');
    } catch {
      // a page address that cannot be read says nothing
    }
  }
  return { ok: true, address: `${url.protocol}//${url.host}` };
}

/** The host part of an origin `<host>/poll/<32 hex>`, or null when it is not of that form. */
function originHost(origin: string): string | null {
  const m = /^([^/\s]+)\/poll\/[0-9a-f]{32}$/.exec(origin);
  return m === null ? null : m[1];
}

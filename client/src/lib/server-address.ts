/**
 * The address the server's links carry (GET /api/server): its public URL, else the address it listens
 * on. The code sheets, the mail-merge file and the notices print it, rather than the address this
 * browser happens to use (an organiser on the server's own computer may reach it at 127.0.0.1 while
 * residents use the public name). The server's word alone is never printed: `pollLinkAddress` takes
 * it only when its host is the one the poll's manifest names (verifier/link-address.ts).
 */
import { get } from '../lib/api.ts';
import { linkAddress, type LinkAddress } from '../../../verifier/index.ts';

let asked: Promise<string> | null = null;

/** The server's public URL as it says it, without a trailing slash. For warnings only, never for links. */
export function serverAddress(): Promise<string> {
  asked ??= get<{ publicUrl: string }>('/api/server').then(
    (r) => r.publicUrl.replace(/\/+$/, ''),
    (e) => {
      asked = null; // ask again next time
      throw e;
    },
  );
  return asked;
}

/** The address links of the poll whose manifest has `origin` may carry, or the mismatch to raise an alarm on. */
export async function pollLinkAddress(origin: string): Promise<LinkAddress> {
  return linkAddress(await serverAddress(), origin, location.href);
}

/**
 * The address the server's links carry (GET /api/server): its public URL, else the address it listens
 * on. The code sheets, the mail-merge file and the notice print it, rather than the address this
 * browser happens to use (an organiser on the server's own computer may reach it at 127.0.0.1 while
 * residents use the public name). Asked once per page load.
 */
import { get } from '../lib/api.ts';

let asked: Promise<string> | null = null;

/** The server's public URL, without a trailing slash. */
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

/**
 * Whether people elsewhere can open an address the server names itself by (its public URL, which every
 * link, QR code and code sheet of a poll carries). A server started without --public-url names itself
 * by the address it listens on, usually 127.0.0.1: the organiser's pages warn then, before the links
 * are printed. Pure and browser-safe; it looks at the address only (no name lookup), so a public name
 * that points to a private address is not caught.
 */

/** `public`: anyone may reach it; `loopback`: only the computer itself; `private`: only its local network. */
export type AddressReach = 'public' | 'loopback' | 'private';

/** The reach of `url`'s host. An address that cannot be read is taken as public: the page then says nothing rather than something wrong. */
export function addressReach(url: string): AddressReach {
  let host: string;
  try {
    host = new URL(url).hostname.toLowerCase();
  } catch {
    return 'public';
  }
  if (host.startsWith('[') && host.endsWith(']')) return ipv6Reach(host.slice(1, -1));
  const v4 = ipv4(host);
  if (v4 !== null) return ipv4Reach(v4);
  const name = host.replace(/\.$/, '');
  if (name === 'localhost' || name.endsWith('.localhost')) return 'loopback';
  // mDNS names (printer.local) and names without a dot resolve only on a local network.
  if (name.endsWith('.local') || !name.includes('.')) return 'private';
  return 'public';
}

/** The four bytes of a dotted IPv4 address (as URL writes it), or null. */
function ipv4(host: string): number[] | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  if (m === null) return null;
  const bytes = m.slice(1).map(Number);
  return bytes.every((b) => b <= 255) ? bytes : null;
}

function ipv4Reach([a, b]: number[]): AddressReach {
  if (a === 127 || a === 0) return 'loopback'; // 127.0.0.0/8; 0.0.0.0 is "this computer"
  if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168)) return 'private'; // RFC 1918
  if (a === 169 && b === 254) return 'private'; // link-local
  return 'public';
}

function ipv6Reach(address: string): AddressReach {
  const words = ipv6Words(address);
  if (words === null) return 'public';
  const zeroUpTo = (n: number) => words.slice(0, n).every((w) => w === 0);
  if (zeroUpTo(7) && (words[7] === 1 || words[7] === 0)) return 'loopback'; // ::1, and :: ("this computer")
  // An IPv4 address mapped into IPv6 (::ffff:a.b.c.d) reaches what the IPv4 address reaches.
  if (zeroUpTo(5) && words[5] === 0xffff) return ipv4Reach([words[6] >> 8, words[6] & 0xff, words[7] >> 8, words[7] & 0xff]);
  if ((words[0] & 0xfe00) === 0xfc00) return 'private'; // fc00::/7, unique local
  if ((words[0] & 0xffc0) === 0xfe80) return 'private'; // fe80::/10, link-local
  return 'public';
}

/** The eight 16-bit words of an IPv6 address in the form URL gives (hex, with one "::" at most), or null. */
function ipv6Words(address: string): number[] | null {
  const halves = address.split('::');
  if (halves.length > 2) return null;
  const part = (s: string) => (s === '' ? [] : s.split(':'));
  const head = part(halves[0]);
  const tail = halves.length === 2 ? part(halves[1]) : [];
  // A trailing dotted IPv4 part (URL writes ::ffff:7f00:1, but be lenient) counts as two words.
  const last = tail.length > 0 ? tail : head;
  const dotted = last.length > 0 ? ipv4(last[last.length - 1]) : null;
  if (dotted !== null) last.splice(last.length - 1, 1, ((dotted[0] << 8) | dotted[1]).toString(16), ((dotted[2] << 8) | dotted[3]).toString(16));
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  const all = [...head, ...Array.from({ length: halves.length === 2 ? missing : 0 }, () => '0'), ...tail];
  if (!all.every((w) => /^[0-9a-f]{1,4}$/.test(w))) return null;
  return all.map((w) => parseInt(w, 16));
}

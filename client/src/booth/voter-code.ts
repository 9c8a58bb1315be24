/**
 * The voter's code (spec §C): read from her sheet's link (#fragment), typed, or scanned from its QR
 * code, and checked with the server, which says whether the credential it derives is listed and how
 * many ballots it has cast. The code itself never leaves the device; only the public key does.
 */
import { deriveCredential, encodePoint, fromHex, parseCredentialCode, toHex, type KeyPair } from '../../../crypto/index.ts';
import { get } from '../lib/api.ts';

export interface CredentialStatus {
  readonly listed: boolean;
  readonly weight: number;
  readonly ballots: number;
  readonly audits: number;
  readonly maxBallots: number;
}

/**
 * The code in a link's fragment ("#ABCD-EFGH-…", or "#ABCD-…&fp=<poll fingerprint>" as code sheets
 * print it, spec §B.1.5.1), or '' when there is none.
 */
export function codeFromFragment(hash: string): string {
  const raw = (hash.startsWith('#') ? hash.slice(1) : hash).split('&')[0];
  try {
    return decodeURIComponent(raw).trim();
  } catch {
    return raw.trim();
  }
}

/**
 * What a scanned QR code holds: her sheet's link `<origin>/poll/<id>/vote#<code>` or the bare code.
 * Returns the code and, for a link, the poll it is for; null when it is neither.
 */
export function codeFromScan(text: string): { code: string; poll: string | null } | null {
  const s = text.trim();
  const link = /\/poll\/([0-9a-f]{32})\/vote#(.+)$/.exec(s);
  if (link) return parseCredentialCode(codeFromFragment(link[2])) === null ? null : { code: codeFromFragment(link[2]), poll: link[1] };
  return parseCredentialCode(s) === null ? null : { code: s, poll: null };
}

/** The code in its printed form (six groups of four), or null when it has a typo. */
export function tidyCode(text: string): string | null {
  const s = parseCredentialCode(text);
  return s === null ? null : s.replace(/(.{4})(?!$)/g, '$1-');
}

/** Derives her credential for this poll (§C.4); call only with a code that parses. */
export function credentialFor(code: string, poll: string): KeyPair {
  return deriveCredential(code, fromHex(poll, 'poll'));
}

/** Asks the server about the credential. Throws ApiError NOT_LISTED when it is not on the poll's list. */
export async function checkCredential(poll: string, credential: KeyPair): Promise<CredentialStatus> {
  return get<CredentialStatus>(`/api/polls/${poll}/credentials/${toHex(encodePoint(credential.publicKey))}`);
}

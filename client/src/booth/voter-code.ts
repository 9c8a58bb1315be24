/**
 * The voter's code (spec §C): read from her sheet's link (#fragment, which may also carry the poll
 * fingerprint, §B.1.5.1), typed, or scanned from its QR code, and checked with the server, which
 * says whether the credential it derives is listed and how many ballots it has cast. The code itself never leaves the device; only the public key does.
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

/** What her sheet's link carries in its fragment: the voter code, and the poll fingerprint when the sheet has it (§B.1.5.1). */
export interface SheetLink {
  /** the code as written in the link ('' when there is none) */
  readonly code: string;
  /** the poll fingerprint as written in the link ('' when there is none) */
  readonly fingerprint: string;
}

function decoded(raw: string): string {
  try {
    return decodeURIComponent(raw).trim();
  } catch {
    return raw.trim();
  }
}

/**
 * Reads a link's fragment: `#<code>` (older sheets), `#<code>&fp=<fingerprint>` or
 * `#code=<code>&fp=<fingerprint>`, in any order of the named parts. Parts it does not know are ignored.
 */
export function linkFromFragment(hash: string): SheetLink {
  const raw = hash.startsWith('#') ? hash.slice(1) : hash;
  let code = '';
  let fingerprint = '';
  raw.split('&').forEach((part, i) => {
    const eq = part.indexOf('=');
    const name = eq < 0 ? null : part.slice(0, eq);
    if (name === 'fp') fingerprint = decoded(part.slice(eq + 1));
    else if (name === 'code') code = decoded(part.slice(eq + 1));
    else if (i === 0 && name === null) code = decoded(part);
  });
  return { code, fingerprint };
}

/**
 * What a scanned QR code holds: her sheet's link `<origin>/poll/<id>/vote#<fragment>` or the bare code.
 * Returns the code, the fingerprint the link carries ('' when none) and, for a link, the poll it is
 * for; null when it is neither.
 */
export function codeFromScan(text: string): { code: string; fingerprint: string; poll: string | null } | null {
  const s = text.trim();
  const link = /\/poll\/([0-9a-f]{32})\/vote#(.+)$/.exec(s);
  if (link) {
    const { code, fingerprint } = linkFromFragment(link[2]);
    return parseCredentialCode(code) === null ? null : { code, fingerprint, poll: link[1] };
  }
  return parseCredentialCode(s) === null ? null : { code: s, fingerprint: '', poll: null };
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

/** Asks the server about the credential. Throws ApiError NOT_LISTED when it is not on the poll's list, REVOKED when the registrar revoked it. */
export async function checkCredential(poll: string, credential: KeyPair): Promise<CredentialStatus> {
  return get<CredentialStatus>(`/api/polls/${poll}/credentials/${toHex(encodePoint(credential.publicKey))}`);
}

/**
 * Everything the board holds under one credential: whether the registrar's signed lists name it (in
 * which credentials entry, with which weight), and every ballot and audit cast with it. A resident
 * looks up her own credential this way, on her device, in a board it has replayed, to see whether
 * someone voted in her name. Spec §B.1.6.1, §B.1.6.5, §B.4.6 (the last ballot counts), §Q.6, §Q.7.
 */
import { MAX_ENTRY_BYTES, decodeEntry } from '../bulletin-board/index.ts';
import { Reader, ballotTracker, bytesEqual } from '../crypto/index.ts';

/** A ballot or an audit cast with the credential. */
export interface CastUnder {
  readonly height: number;
  /** the entry's time, ms since 1970 UTC */
  readonly time: number;
  readonly tracker: Uint8Array;
}

export interface CredentialHistory {
  /** a credentials entry lists it */
  readonly listed: boolean;
  /** its weight, and the height of the credentials entry that lists it (the first, if several did) */
  readonly weight: number | null;
  readonly entry: number | null;
  /** B.4.6.8 when the registrar revoked it (it cannot vote since), or null */
  readonly revoked: { readonly height: number; readonly time: number } | null;
  /** its ballots, in board order: the last one is the one counted (B.4.6.4) */
  readonly ballots: readonly CastUnder[];
  /** its audited ballots, in board order: published, never counted (§Q.9) */
  readonly audits: readonly CastUnder[];
}

/**
 * The history of `credential` (enc(X), 32 bytes) in `entries` (the board's entries in order, from
 * height 0). Requires entries the election rules accepted (§B.4): it reads their fixed layouts (a
 * credential list's keys, a ballot's credential, §B.1.6.1, §Q.6) without decoding every point, which
 * would take minutes for a large list on a phone. Throws DecodeError on an entry that does not read.
 */
export function credentialHistory(entries: Iterable<Uint8Array>, credential: Uint8Array): CredentialHistory {
  if (credential.length !== 32) throw new Error('bug: a credential is 32 bytes (enc(X))');
  let weight: number | null = null;
  let entry: number | null = null;
  const ballots: CastUnder[] = [];
  const audits: CastUnder[] = [];
  let revoked: { height: number; time: number } | null = null;
  let height = 0;
  for (const bytes of entries) {
    const e = decodeEntry(bytes);
    if (e.type === 'credentials' && entry === null) {
      // B.1.6.1 u32 count ‖ count × (enc(X) ‖ u32 weight) ‖ signature
      const r = new Reader(e.payload);
      const count = r.u32('count');
      for (let i = 0; i < count; i++) {
        const key = r.bytes(32, `credentials[${i}].key`);
        const w = r.u32(`credentials[${i}].weight`);
        if (entry === null && bytesEqual(key, credential)) {
          weight = w;
          entry = height;
        }
      }
    } else if (e.type === 'revoke' && entry !== null && revoked === null) {
      // B.1.6.10 u32 count ‖ count × enc(X) ‖ signature
      const r = new Reader(e.payload);
      const count = r.u32('count');
      for (let i = 0; i < count; i++) if (bytesEqual(r.bytes(32, `keys[${i}]`), credential)) revoked = { height, time: e.time };
    } else if (e.type === 'ballot') {
      if (bytesEqual(ballotCredential(e.payload), credential)) ballots.push({ height, time: e.time, tracker: ballotTracker(e.payload) });
    } else if (e.type === 'audit') {
      // B.1.6.5 frame(ballot bytes) ‖ opening
      const ballot = new Reader(e.payload).framed('ballot', MAX_ENTRY_BYTES);
      if (bytesEqual(ballotCredential(ballot), credential)) audits.push({ height, time: e.time, tracker: ballotTracker(ballot) });
    }
    height++;
  }
  return { listed: entry !== null, weight, entry, revoked, ballots, audits };
}

/** Q.6 a ballot's credential: u8 version ‖ fingerprint (32) ‖ enc(X) (32) ‖ … */
function ballotCredential(ballot: Uint8Array): Uint8Array {
  const r = new Reader(ballot);
  r.u8('version');
  r.bytes(32, 'fingerprint');
  return r.bytes(32, 'credential');
}

/**
 * A trustee's ceremony secrets as plain JSON (hex), so that the page can keep them in this tab's
 * sessionStorage and a reload does not lose them. They never leave the browser. Spec §T.2–T.7.
 */
import { G, decodeScalar, encodeScalar, fromHex, mulSecret, toHex, type CeremonyParams, type TrusteeSecrets } from '../../../crypto/index.ts';

/** What the tab keeps of one ceremony run: the keys, the polynomial until the key share, and the exact messages already made. */
export interface SavedSecrets {
  /** hex of the run's `election` (T.1.1): secrets of another run are never used */
  readonly election: string;
  readonly t: number;
  readonly n: number;
  readonly index: number;
  readonly signing: string;
  readonly encryption: string;
  readonly coefficients?: readonly string[];
  /** the identity, commit and reveal exactly as made (the commit binds the reveal's bytes, T.3.4) */
  readonly identity?: string;
  readonly commit?: string;
  readonly reveal?: string;
  /** x_j once derived (T.7.1) */
  readonly keyShare?: string;
}

/** The secrets and messages of one run, as the worker holds them. */
export interface RunSecrets {
  readonly secrets: TrusteeSecrets;
  identity?: Uint8Array;
  commit?: Uint8Array;
  reveal?: Uint8Array;
  keyShare?: bigint;
}

const scalar = (hex: string, field: string) => decodeScalar(fromHex(hex, field), field);
const pair = (secret: bigint) => ({ secret, publicKey: mulSecret(G, secret) });

export function saveSecrets(run: RunSecrets): SavedSecrets {
  const s = run.secrets;
  return {
    election: toHex(s.params.election),
    t: s.params.t,
    n: s.params.n,
    index: s.index,
    signing: toHex(encodeScalar(s.signing.secret)),
    encryption: toHex(encodeScalar(s.encryption.secret)),
    coefficients: s.coefficients?.map((a) => toHex(encodeScalar(a))),
    identity: run.identity && toHex(run.identity),
    commit: run.commit && toHex(run.commit),
    reveal: run.reveal && toHex(run.reveal),
    keyShare: run.keyShare === undefined ? undefined : toHex(encodeScalar(run.keyShare)),
  };
}

/** Reads saved secrets back; throws DecodeError on anything malformed. */
export function restoreSecrets(saved: SavedSecrets): RunSecrets {
  const params: CeremonyParams = { election: fromHex(saved.election, 'election'), t: saved.t, n: saved.n };
  const secrets: TrusteeSecrets = {
    params,
    index: saved.index,
    signing: pair(scalar(saved.signing, 'signing')),
    encryption: pair(scalar(saved.encryption, 'encryption')),
    coefficients: saved.coefficients?.map((a, k) => scalar(a, `coefficients[${k}]`)),
  };
  if (secrets.coefficients === undefined) delete secrets.coefficients;
  return {
    secrets,
    identity: saved.identity === undefined ? undefined : fromHex(saved.identity, 'identity'),
    commit: saved.commit === undefined ? undefined : fromHex(saved.commit, 'commit'),
    reveal: saved.reveal === undefined ? undefined : fromHex(saved.reveal, 'reveal'),
    keyShare: saved.keyShare === undefined ? undefined : scalar(saved.keyShare, 'keyShare'),
  };
}

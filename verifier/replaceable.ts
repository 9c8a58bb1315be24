/**
 * Whether a resident's lost code may be replaced, decided on the registrar's device from the board it
 * downloaded and replayed itself (credentialHistory): the old credential must be listed, not already
 * revoked, and must not have cast a ballot, for a cast vote can never be taken off by the registrar
 * (the board refuses it: CREDENTIAL_HAS_CAST). Spec §B.4.6.1, §B.4.6.8.
 */
import type { CredentialHistory } from './credential-history.ts';

/** ok: it may be revoked and replaced; otherwise why not. */
export type Replaceable = 'ok' | 'not-listed' | 'revoked' | 'has-cast';

/**
 * The verdict on `history` (the old credential's, from credentialHistory over the whole replayed board).
 * A revoked credential is 'revoked' whatever else is true; a listed one with any ballot is 'has-cast'
 * (audits are published, never counted, and do not stop a replacement).
 */
export function replaceable(history: Pick<CredentialHistory, 'listed' | 'revoked' | 'ballots'>): Replaceable {
  if (!history.listed) return 'not-listed';
  if (history.revoked !== null) return 'revoked';
  if (history.ballots.length > 0) return 'has-cast';
  return 'ok';
}

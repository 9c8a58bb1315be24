/**
 * Key-file outcomes in the page language: the problems checkKey lists (spec §T.9.5, in English from
 * crypto/) and the codes of a file that does not open (§T.9.4). Also the file's name and the
 * passphrase rule (§T.9.1 step 2: counted in code points after NFKC, as createKeyFile counts).
 */
import { MIN_PASSPHRASE_LENGTH } from '../../../crypto/index.ts';
import { t } from '../lib/i18n.svelte.ts';
import type { MessageKey } from '../i18n/index.ts';
import type { KeyCheck } from './worker-protocol.ts';

const PROBLEMS: [RegExp, MessageKey][] = [
  [/^the record has no identity of yours/, 'trustee.problem.noIdentity'],
  [/^your keys are not the ones on the record/, 'trustee.problem.otherKeys'],
  [/^the ceremony on the record failed/, 'trustee.problem.failed'],
  [/^trustee \d+ is not in the qualified set/, 'trustee.problem.notQualified'],
  [/^your key share does not match/, 'trustee.problem.share'],
  [/^the election key on the record/, 'trustee.problem.jointKey'],
  [/^the ceremony transcript on the record/, 'trustee.problem.transcript'],
  [/^your signature of the transcript/, 'trustee.problem.signature'],
];

/** One problem of checkKey as a sentence for people. */
export function problemText(problem: string): string {
  const other = /^this is the key file of trustee (\d+)/.exec(problem);
  if (other) return t('trustee.problem.otherTrustee', { index: other[1] });
  const found = PROBLEMS.find(([pattern]) => pattern.test(problem));
  return found ? t(found[1]) : t('trustee.problem.other', { text: problem });
}

/**
 * Why a key file did not open, as a sentence for people. Another trustee's file is named by her number
 * and name (`names` from the manifest), with the file name ending that hers has (`mine`: her number).
 */
export function openFailureText(check: Extract<KeyCheck, { ok: false }>, names: readonly string[], mine: number): string {
  if (check.code === 'OTHER_TRUSTEE') return t('trustee.key.OTHER_TRUSTEE', { index: check.index, name: names[check.index - 1] ?? '?', mine });
  return t(`trustee.key.${check.code}`);
}

/** The passphrase's length as createKeyFile counts it. */
export function passphraseLength(passphrase: string): number {
  return [...passphrase.normalize('NFKC')].length;
}

export { MIN_PASSPHRASE_LENGTH };

/** gongshi-key-<first 8 of poll>-trustee-<index>.key */
export function keyFileName(poll: string, index: number): string {
  return `gongshi-key-${poll.slice(0, 8)}-trustee-${index}.key`;
}

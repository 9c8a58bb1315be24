/**
 * The decryption gate's findings (spec §B.8 item 4, verifier checkDecryptionGate) in the page
 * language, and roots in short groups for trustees to read aloud.
 */
import type { GateProblem } from '../../../verifier/index.ts';
import { t } from '../lib/i18n.svelte.ts';

/** A root in hex as 16 groups of 4 digits. */
export function rootGroups(hex: string): string {
  return hex.replace(/(.{4})(?!$)/g, '$1 ');
}

/** One finding of the gate as a sentence, with the two roots of a fork to show below it. */
export function gateProblemText(p: GateProblem): { text: string; roots?: { seen: string; board: string } } {
  switch (p.kind) {
    case 'not-tallied':
      return { text: t('trustee.gate.notTallied') };
    case 'below-floor':
      return { text: t('trustee.gate.belowFloor', { counted: p.counted, floor: p.floor }) };
    case 'shorter-than-key':
      return { text: t('trustee.gate.shorter', { size: p.size, seen: p.seen }) };
    case 'fork-since-key':
      return { text: t('trustee.gate.fork', { size: p.size }), roots: { seen: rootGroups(p.seenRoot), board: rootGroups(p.boardRoot) } };
    case 'no-signed-checkpoint':
      return { text: t('trustee.gate.noCheckpoint', { height: p.tallyHeight }) };
    case 'too-few-witnesses':
      return { text: t('trustee.gate.tooFew', { k: p.k, count: p.cosigned.length, names: p.cosigned.length > 0 ? p.cosigned.join(', ') : t('trustee.gate.nobody') }) };
  }
}

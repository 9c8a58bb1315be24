/** A poll's status in words (common.phase.<status>), and what it means for someone waiting on the result. */
import type { MessageKey } from '../i18n/index.ts';
import { t } from '../lib/i18n.svelte.ts';

const PHASES = ['draft', 'setup', 'ceremony', 'ready', 'open', 'closed', 'tallied', 'done', 'empty'];

/** The status in words; an unknown one says so. */
export function phaseName(status: string): string {
  return PHASES.includes(status) ? t(`common.phase.${status}` as MessageKey) : t('common.phase.unknown');
}

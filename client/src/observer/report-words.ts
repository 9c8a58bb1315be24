/** The verifier's report for people: check names in the page language, sizes in bytes, and the report's file name. Spec §V.3. */
import type { MessageKey } from '../i18n/index.ts';
import { lang, t } from '../lib/i18n.svelte.ts';

/** What a check (V1 … V33) makes sure of, in words. */
export function checkName(check: string): string {
  const text = t(`observer.check.${check}` as MessageKey);
  return text.startsWith('⟦') ? check : text;
}

/** A size in bytes as people read it (KB, MB). */
export function byteSize(bytes: number): string {
  const [unit, value] = bytes >= 1e6 ? ['megabyte', bytes / 1e6] : bytes >= 1e3 ? ['kilobyte', bytes / 1e3] : ['byte', bytes];
  return new Intl.NumberFormat(lang(), { style: 'unit', unit, maximumFractionDigits: 1 }).format(value);
}


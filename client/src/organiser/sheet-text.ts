/**
 * Texts of the printed code sheet, which speaks both languages at once whatever the page language:
 * read straight from the organiser dictionary (the same texts t() gives), English and Chinese.
 */
import { organiser } from '../i18n/organiser.ts';
import { timeIn } from '../lib/i18n.svelte.ts';

type Key = keyof typeof organiser.en;

const fill = (text: string, vars: Record<string, string | number>) => text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));

/** The text of `key` in English and in Chinese. */
export function bothLanguages(key: Key, vars: Record<string, string | number> = {}): { en: string; zh: string } {
  return { en: fill(organiser.en[key], vars), zh: fill(organiser.zh[key], vars) };
}

/** A time in each language's format (the English as the browser writes English dates). */
export function bothTimes(ms: number): { en: string; zh: string } {
  return { en: timeIn('en', ms), zh: timeIn('zh-CN', ms) };
}

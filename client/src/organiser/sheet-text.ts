/**
 * Texts of the printed code sheet and notice, which speak the poll's languages whatever the page
 * language: read straight from the organiser dictionary (the same texts t() gives), in English, in
 * Chinese, or both (lib/poll-languages.ts printLanguages says which).
 */
import { organiser } from '../i18n/organiser.ts';
import { timeIn } from '../lib/i18n.svelte.ts';
import type { SiteLang } from '../lib/poll-languages.ts';

type Key = keyof typeof organiser.en;

const fill = (text: string, vars: Record<string, string | number>) => text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));

/** The text of `key` in language `l`. */
export function inLanguage(l: SiteLang, key: Key, vars: Record<string, string | number> = {}): string {
  return fill(organiser[l === 'en' ? 'en' : 'zh'][key], vars);
}

/** The text of `key` in English and in Chinese. */
export function bothLanguages(key: Key, vars: Record<string, string | number> = {}): { en: string; zh: string } {
  return { en: inLanguage('en', key, vars), zh: inLanguage('zh-CN', key, vars) };
}

/** A time in each language's format (the English as the browser writes English dates). */
export function bothTimes(ms: number): { en: string; zh: string } {
  return { en: timeIn('en', ms), zh: timeIn('zh-CN', ms) };
}

/** The sheet's line of when the poll is open ('' when it opens and closes by hand), in language `l`. */
export function periodIn(l: SiteLang, opensAt: number, closesAt: number): string {
  if (opensAt === 0 && closesAt === 0) return '';
  const key = closesAt === 0 ? 'organiser.sheet.opens' : opensAt === 0 ? 'organiser.sheet.closes' : 'organiser.sheet.period';
  return inLanguage(l, key, { opens: opensAt === 0 ? '' : timeIn(l, opensAt), closes: closesAt === 0 ? '' : timeIn(l, closesAt) });
}

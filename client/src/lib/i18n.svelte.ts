/**
 * The page language: zh-CN or English, first from what the visitor chose before (localStorage),
 * else from the browser's languages. Every string on a page comes from the dictionaries in
 * ../i18n/, through t(); a key missing from a dictionary shows as ⟦key⟧ so that tests catch it.
 */
import { messages, type MessageKey } from '../i18n/index.ts';
import { tagFor, textFor } from './poll-languages.ts';

export type Lang = 'en' | 'zh-CN';
export const LANGUAGES: readonly Lang[] = ['zh-CN', 'en'];
const STORE_KEY = 'gongshi.lang';

function initial(): Lang {
  try {
    const kept = localStorage.getItem(STORE_KEY);
    if (kept === 'en' || kept === 'zh-CN') return kept;
  } catch {
    // storage may be off (private mode): fall back to the browser's languages
  }
  for (const l of navigator.languages ?? [navigator.language]) {
    const low = l.toLowerCase();
    if (low.startsWith('zh')) return 'zh-CN';
    if (low.startsWith('en')) return 'en';
  }
  return 'zh-CN';
}

const start = initial();
let current = $state<Lang>(start);
if (typeof document !== 'undefined') document.documentElement.lang = start;

/** The language in use (reactive). */
export function lang(): Lang {
  return current;
}

/** Switches the language and remembers the choice on this device. */
export function setLang(l: Lang): void {
  current = l;
  document.documentElement.lang = l;
  try {
    localStorage.setItem(STORE_KEY, l);
  } catch {
    // not remembered: the choice still holds on this page
  }
}

/**
 * The text of `key` in the page language (or in `l`, for a printout in the poll's language), with
 * {name} placeholders filled from `vars`.
 */
export function t(key: MessageKey, vars: Record<string, string | number> = {}, l: Lang = current): string {
  const text: string | undefined = messages[l === 'en' ? 'en' : 'zh'][key];
  if (text === undefined) return `⟦${key}⟧`;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}

/** A number in the page language's format (or in `l`'s). */
export function num(n: number, l: Lang = current): string {
  return n.toLocaleString(l);
}

/**
 * The locale a language writes dates in. English is the browser's own English (its first en-*
 * language, so en-GB gives "7 Dec 2026" and en-US "Dec 7, 2026"), else British English: plain "en"
 * would give American month-day order to everyone.
 */
export function dateLocale(l: Lang): string {
  if (l === 'zh-CN') return 'zh-CN';
  const browser = typeof navigator === 'undefined' ? [] : (navigator.languages ?? [navigator.language]);
  return browser.find((b) => /^en-/i.test(b)) ?? 'en-GB';
}

/** A time (ms since 1970) in language `l`, to the minute or to the second: every date the site shows is written here. */
export function timeIn(l: Lang, ms: number, precision: 'minute' | 'second' = 'minute'): string {
  return new Date(ms).toLocaleString(dateLocale(l), { dateStyle: 'medium', timeStyle: precision === 'second' ? 'medium' : 'short' });
}

/** A time (ms since 1970) in the page language's format, or null for 0 (not scheduled). */
export function when(ms: number): string | null {
  if (ms === 0) return null;
  return timeIn(current, ms);
}

/**
 * One text of the poll (title, question, option): the manifest holds one string per poll language,
 * in the order of `languages`. Picks the page language (or `l`), else the poll's first language: a
 * Chinese-only poll shows its Chinese to a reader in English.
 */
export function pollText(languages: readonly string[], texts: readonly string[], l: Lang = current): string {
  return textFor(languages, texts, l);
}

/**
 * The `lang` of the text pollText picks: put it on the element that holds a poll text, so that a
 * screen reader reads a Chinese-only poll's texts as Chinese on a page in English.
 */
export function pollLang(languages: readonly string[], l: Lang = current): string {
  return tagFor(languages, l);
}

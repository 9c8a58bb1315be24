/** The page language: Chinese unless the browser prefers English. The client issue brings full translation. */
export const english = navigator.language.toLowerCase().startsWith('en');

/** Picks the text of a two-language pair, or a manifest text (one string per poll language). */
export function pick(en: string, zh: string): string {
  return english ? en : zh;
}

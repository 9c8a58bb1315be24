/**
 * A poll's languages (the manifest's, spec §B.1.4: one to four tags, each text one string per tag, in
 * their order) against the site's two, zh-CN and English: which of the poll's texts a reader sees,
 * what `lang` it carries, and which languages a printout of the poll speaks.
 */

/** The site's languages (the page language is one of them). */
export type SiteLang = 'en' | 'zh-CN';

/** The index of the poll's text in site language `l`, or -1 when the poll has none in it. */
export function textIndex(languages: readonly string[], l: SiteLang): number {
  const want = l === 'en' ? 'en' : 'zh';
  return languages.findIndex((tag) => tag.toLowerCase() === want || tag.toLowerCase().startsWith(`${want}-`));
}

/** The index of the text a reader in `l` sees: hers where the poll has it, else the poll's first. */
export function shownIndex(languages: readonly string[], l: SiteLang): number {
  return Math.max(0, textIndex(languages, l));
}

/** The text a reader in `l` sees: hers where the poll has it, else the poll's first; never undefined. */
export function textFor(languages: readonly string[], texts: readonly string[], l: SiteLang): string {
  return texts[shownIndex(languages, l)] ?? texts[0] ?? '';
}

/** The language tag of that text, for its element's `lang` (the poll's own tag; 'und' if it has none). */
export function tagFor(languages: readonly string[], l: SiteLang): string {
  return languages[shownIndex(languages, l)] ?? 'und';
}

/** One language of a printout: the site's language whose words it uses, its tag, and where its texts are. */
export interface PrintLang {
  readonly lang: SiteLang;
  readonly tag: string;
  /** the index of the poll's texts in this language */
  readonly at: number;
}

/**
 * The languages a printout of the poll (code sheet, notice) speaks: each of the poll's languages that
 * the site has words for, in the manifest's order. A poll in neither of them prints in English with
 * its first language's texts.
 */
export function printLanguages(languages: readonly string[]): PrintLang[] {
  const out: PrintLang[] = [];
  for (const lang of ['en', 'zh-CN'] as const) {
    const at = textIndex(languages, lang);
    if (at >= 0) out.push({ lang, tag: languages[at], at });
  }
  out.sort((a, b) => a.at - b.at);
  return out.length > 0 ? out : [{ lang: 'en', tag: languages[0] ?? 'und', at: 0 }];
}

/**
 * The one language of a printout in one language (the result notice, the result CSV): the reader's
 * when the poll has it, else the poll's first that the site speaks. A poll in both is printed in the
 * reader's; a Chinese-only poll in Chinese, whoever prints it.
 */
export function printLanguage(languages: readonly string[], reader: SiteLang): SiteLang {
  if (textIndex(languages, reader) >= 0) return reader;
  return printLanguages(languages).find((p) => textIndex(languages, p.lang) >= 0)?.lang ?? reader;
}

/**
 * A sentence of the site around one poll text, cut where the text goes, so that the page can put the
 * poll text in an element of its own `lang`: `aroundPlaceholder('Results: {title}', 'title')` gives
 * ['Results: ', '']. A message without the placeholder gives [the message, ''] (the text then shows after it).
 */
export function aroundPlaceholder(message: string, name: string): [string, string] {
  const at = message.indexOf(`{${name}}`);
  return at < 0 ? [message, ''] : [message.slice(0, at), message.slice(at + name.length + 2)];
}

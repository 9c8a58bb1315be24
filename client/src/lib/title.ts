/**
 * The tab's title. Every page names itself (and its poll, where it has one) so that a tab in the
 * background still says what it is; a page that waits for its person (a trustee's step) says so
 * first. Pages set it with <svelte:head><title>{tabTitle(…)}</title></svelte:head>.
 */
const SITE = '公示 gongshi';

/** The parts that are present, most specific first, then the site's name: "Vote · Courtyard — 公示 gongshi". */
export function tabTitle(...parts: (string | null | undefined | false)[]): string {
  const present = parts.filter((p): p is string => typeof p === 'string' && p.trim() !== '');
  return present.length === 0 ? SITE : `${present.join(' · ')} — ${SITE}`;
}

/**
 * Whether a poll is a demonstration, read from its manifest's title (spec §B.1.4), which the poll
 * fingerprint anchors: not from a flag of the server's. A poll whose title, in any of its languages,
 * says "demo" (a word of its own, any case) or 演示 is shown as a demonstration on every page. A real
 * poll gains nothing from the mark, so a false positive costs only a banner; a demo poll cannot drop
 * it without changing its title, which every page shows.
 */

const MARKS = [/\bdemo\b/i, /演示/];

/** True when one of `title`'s texts carries the demo mark. */
export function isDemoTitle(title: readonly string[]): boolean {
  return title.some((text) => MARKS.some((mark) => mark.test(text)));
}

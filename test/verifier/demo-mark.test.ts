/** The demonstration mark, read from a manifest's title in any of its languages. */
import { describe, expect, test } from 'vitest';
import { isDemoTitle } from '../../verifier/index.ts';
import { demoManifest } from '../../server/demo/demo-poll.ts';
import { seededRandom } from '../../crypto/index.ts';

describe('isDemoTitle', () => {
  test('a title that says Demo or 演示 in any language is a demonstration', () => {
    for (const title of [['Demo: try the booth', '演示：试用投票'], ['Demo poll'], ['Courtyard (DEMO)'], ['demo'], ['Courtyard', '演示投票'], ['院落（演示）']]) expect(isDemoTitle(title), title.join(' / ')).toBe(true);
  });
  test('a title without the mark is not, even with the letters inside a word', () => {
    for (const title of [['Courtyard poll', '院落投票'], ['Democracy day'], ['Demolition of the shed'], ['Pandemonium'], []]) expect(isDemoTitle(title), title.join(' / ')).toBe(false);
  });
  test('the demo command’s poll carries the mark', () => {
    expect(isDemoTitle(demoManifest(seededRandom('demo mark'), { trustees: 1, threshold: 1 }).manifest.title)).toBe(true);
  });
});

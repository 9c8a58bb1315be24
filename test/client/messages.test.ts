/**
 * The dictionaries: every part has the same keys in English and Chinese, no empty text, the same
 * {placeholders} in both, keys named after their part, and Chinese texts that are not English left untranslated.
 */
import { describe, expect, test } from 'vitest';
import { parts } from '../../client/src/i18n/index.ts';

/** Texts that are the same in both languages on purpose: the name, and a command typed as it is. */
const SAME = new Set(['common.brand', 'organiser.address.command']);

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('the dictionaries', () => {
  for (const [name, part] of Object.entries(parts)) {
    test(`${name}: same keys, no empty text, same placeholders`, () => {
      const en = part.en as Record<string, string>;
      const zh = part.zh as Record<string, string>;
      expect(Object.keys(zh).sort()).toEqual(Object.keys(en).sort());
      for (const key of Object.keys(en)) {
        expect(key.startsWith(`${name}.`), key).toBe(true);
        expect(en[key].trim(), key).not.toBe('');
        expect(zh[key].trim(), key).not.toBe('');
        expect(placeholders(zh[key]), key).toEqual(placeholders(en[key]));
      }
    });
    test(`${name}: Chinese texts are translated`, () => {
      const en = part.en as Record<string, string>;
      const zh = part.zh as Record<string, string>;
      const untranslated = Object.keys(en).filter((k) => !SAME.has(k) && zh[k] === en[k] && /[A-Za-z]{3,}/.test(en[k]));
      expect(untranslated).toEqual([]);
    });
  }
});

/** compareFingerprint (spec §B.1.5.1, V42): the fingerprint a person holds against the board's manifest. */
import { describe, expect, it } from 'vitest';
import { seededRandom, toHex } from '../../crypto/index.ts';
import { encodeManifest, formatPollFingerprint, pollFingerprint } from '../../bulletin-board/index.ts';
import { demoManifest } from '../../server/demo/demo-poll.ts';
import { compareFingerprint } from '../../verifier/index.ts';

const manifest = encodeManifest(demoManifest(seededRandom('fingerprint check'), { trustees: 3, threshold: 2 }).manifest);
const other = encodeManifest(demoManifest(seededRandom('another poll'), { trustees: 3, threshold: 2 }).manifest);
const fp = pollFingerprint(manifest);
const text = formatPollFingerprint(fp);

describe('compareFingerprint accepts the manifest’s fingerprint', () => {
  it.each([
    ['as printed', text],
    ['as a QR code carries it (52 symbols)', text.replace(/ /g, '')],
    ['typed in lower case with hyphens', text.toLowerCase().replace(/ /g, '-')],
    ['as 64 hex digits', toHex(fp)],
  ])('%s', (_, held) => {
    expect(compareFingerprint(held, manifest)).toEqual({ ok: true, fingerprint: text });
  });

  it('as bytes', () => {
    expect(compareFingerprint(fp, manifest)).toEqual({ ok: true, fingerprint: text });
  });
});

describe('compareFingerprint refuses', () => {
  it('another poll’s fingerprint, naming both', () => {
    const held = formatPollFingerprint(pollFingerprint(other));
    expect(compareFingerprint(held, manifest)).toEqual({ ok: false, reason: 'different', held, board: text });
  });

  it('a fingerprint with one symbol changed', () => {
    const typo = (text[0] === 'A' ? 'B' : 'A') + text.slice(1);
    expect(compareFingerprint(typo, manifest)).toMatchObject({ ok: false });
  });

  it.each([
    ['empty', ''],
    ['too short', text.slice(0, 40)],
    ['too long', text + 'AAAA'],
    ['not base32', text.replace(/^./, 'U')],
  ])('an unreadable text (%s)', (_, held) => {
    expect(compareFingerprint(held, manifest)).toEqual({ ok: false, reason: 'unreadable' });
  });

  it('bytes of the wrong length', () => {
    expect(compareFingerprint(fp.subarray(0, 31), manifest)).toEqual({ ok: false, reason: 'unreadable' });
  });
});

/** The poll fingerprint a person holds against the board's manifest (spec §B.1.5.1). */
import { describe, expect, it } from 'vitest';
import { seededRandom, toHex } from '../../crypto/index.ts';
import { encodeManifest, encodeVerifierKey, formatPollFingerprint, pollFingerprint, signerKeyFromSeed, verifierKeyOf } from '../../bulletin-board/index.ts';
import { compareFingerprint } from '../../verifier/index.ts';
import { sampleManifest } from '../board/poll-support.ts';

const rng = seededRandom('fingerprint check tests');
const manifest = sampleManifest(rng);
const bytes = encodeManifest(manifest);
const fingerprint = pollFingerprint(bytes);
const groups = formatPollFingerprint(fingerprint);

describe('the fingerprint she holds', () => {
  it('matches in every form the sheet, the notice or a scan give it', () => {
    const symbols = groups.replace(/ /g, '');
    const forms = { groups, symbols, 'lower case': groups.toLowerCase(), hyphens: groups.replace(/ /g, '-'), 'spaces around': `  ${groups}\n`, hex: toHex(fingerprint), bytes: fingerprint };
    for (const [form, held] of Object.entries(forms)) expect(compareFingerprint(held, bytes), form).toEqual({ ok: true, fingerprint });
  });

  it('differs from a board whose manifest differs in anything: another poll, another log key, another text, another schedule', () => {
    const others = {
      'another poll': sampleManifest(seededRandom('another poll')),
      'another log key': { ...manifest, logKey: encodeVerifierKey(verifierKeyOf(signerKeyFromSeed(manifest.origin, rng(32)))) },
      'another title': { ...manifest, title: ['Courtyard poll!', manifest.title[1]] },
      'another closing time': { ...manifest, closesAt: Date.UTC(2027, 0, 1) },
      'another privacy floor': { ...manifest, privacyFloor: 2 },
    };
    for (const [why, other] of Object.entries(others)) {
      const otherBytes = encodeManifest(other);
      const r = compareFingerprint(groups, otherBytes);
      expect(r.ok, why).toBe(false);
      if (!r.ok && r.reason === 'mismatch') expect([r.held, r.board], why).toEqual([fingerprint, pollFingerprint(otherBytes)]);
      else expect.unreachable(why);
    }
  });

  it('is unreadable, never a match, when a symbol is missing, one is added, or it is not base32 or hex', () => {
    const symbols = groups.replace(/ /g, '');
    const bad = { empty: '', 'one symbol short': symbols.slice(1), 'one symbol more': symbols + '0', 'a U': symbols.slice(0, -1) + 'U', 'hex one digit short': toHex(fingerprint).slice(1), 'bytes 31': fingerprint.subarray(1) };
    for (const [why, held] of Object.entries(bad)) expect(compareFingerprint(held, bytes), why).toEqual({ ok: false, reason: 'unreadable', board: fingerprint });
  });
});

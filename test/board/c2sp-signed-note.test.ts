/**
 * C2SP signed notes (spec §B.3.1–B.3.5): known answers from Go's golang.org/x/mod/sumdb/note
 * (note.go package example and note_test.go, commit fe2ec04f of github.com/golang/mod) and from the
 * C2SP signed-note specification (§"Verifier keys", example), round trips, and one named rejection
 * per parser rule.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DecodeError } from '../../crypto/index.ts';
import {
  MAX_NOTE_BYTES,
  MAX_SIGNATURES,
  SIG_TYPE_ED25519,
  computeKeyId,
  decodeBase64,
  ed25519NoteSigner,
  ed25519NoteVerifier,
  encodeBase64,
  encodeNote,
  encodeSignerKey,
  encodeVerifierKey,
  isValidKeyName,
  openNote,
  parseNote,
  parseSignerKey,
  parseVerifierKey,
  signNote,
  signerKeyFromSeed,
  verifierKeyOf,
} from '../../bulletin-board/log/note.ts';

// golang.org/x/mod/sumdb/note, note.go doc comment and note_test.go (TestSign, TestOpen).
const PETER_SKEY = 'PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz';
const PETER_VKEY = 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW';
const ENOCH_VKEY = 'EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop';
const TEXT = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
const PETER_SIG = '— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n';
const ENOCH_SIG = '— EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n';

// C2SP signed-note v1.0.0, "Verifier keys" → "Example".
const C2SP_VKEY = 'example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k';
const C2SP_NOTE = 'This is an example message.\n\n— example.com/foo Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=\n';

const peter = () => ed25519NoteVerifier(parseVerifierKey(PETER_VKEY));
const enoch = () => ed25519NoteVerifier(parseVerifierKey(ENOCH_VKEY));

function refusal(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(DecodeError);
    return (e as Error).message;
  }
  throw new Error('expected a DecodeError');
}

describe('B.3 signed note: known answers (Go sumdb/note, C2SP)', () => {
  it('parses the PeterNeumann skey and derives the published vkey', () => {
    const skey = parseSignerKey(PETER_SKEY);
    expect(skey.keyId).toBe(0xc74f20a3);
    expect(encodeVerifierKey(verifierKeyOf(skey))).toBe(PETER_VKEY);
    expect(encodeSignerKey(skey)).toBe(PETER_SKEY);
  });

  it('produces the published signature bytes from the published key (Ed25519 is deterministic)', () => {
    const signer = ed25519NoteSigner(parseSignerKey(PETER_SKEY));
    expect(signNote(TEXT, [signer])).toBe(TEXT + '\n' + PETER_SIG);
  });

  it('verifies the published note with the published vkey', () => {
    const opened = openNote(TEXT + '\n' + PETER_SIG, [peter()]);
    expect(opened.ok).toBe(true);
    if (opened.ok) {
      expect(opened.text).toBe(TEXT);
      expect(opened.verified.map((s) => s.name)).toEqual(['PeterNeumann']);
      expect(opened.unknown).toEqual([]);
    }
  });

  it('verifies the C2SP example note with the C2SP example vkey', () => {
    const opened = openNote(C2SP_NOTE, [ed25519NoteVerifier(parseVerifierKey(C2SP_VKEY))]);
    expect(opened.ok && opened.text).toBe('This is an example message.\n');
  });

  it('reports a signature by an unknown key as unknown, not verified (Go TestOpen)', () => {
    const opened = openNote(TEXT + '\n' + PETER_SIG + ENOCH_SIG, [peter()]);
    expect(opened.ok).toBe(true);
    if (opened.ok) {
      expect(opened.verified.map((s) => s.name)).toEqual(['PeterNeumann']);
      expect(opened.unknown.map((s) => [s.name, s.keyId])).toEqual([['EnochRoot', 0xaf0cfe78]]);
    }
    const both = openNote(TEXT + '\n' + PETER_SIG + ENOCH_SIG, [peter(), enoch()]);
    expect(both.ok && both.verified.map((s) => s.name)).toEqual(['PeterNeumann', 'EnochRoot']);
  });

  it('rejects a note with no signature by a known key', () => {
    const opened = openNote(TEXT + '\n' + PETER_SIG + ENOCH_SIG, []);
    expect(opened).toMatchObject({ ok: false, reason: 'no-known-signature' });
  });

  it('rejects the whole note when a known key signature fails (Go TestOpen "Invalid signature")', () => {
    const bad = PETER_SIG.slice(0, 60) + 'ABCD' + PETER_SIG.slice(60);
    expect(openNote(TEXT + '\n' + bad, [peter()])).toMatchObject({ ok: false, reason: 'invalid-signature', key: 'PeterNeumann+c74f20a3' });
    expect(openNote(TEXT + '\n' + ENOCH_SIG + bad, [peter(), enoch()])).toMatchObject({ ok: false, reason: 'invalid-signature' });
  });

  it('ignores a signature that shares only the name, or only the key ID, with a known key', () => {
    const raw = decodeBase64(PETER_SIG.slice('— PeterNeumann '.length, -1), 't');
    const otherId = raw.slice();
    otherId[0] ^= 1;
    const sameNameOtherId = `— PeterNeumann ${encodeBase64(otherId)}\n`;
    const sameIdOtherName = `— PeterNeumannX ${encodeBase64(raw)}\n`;
    for (const line of [sameNameOtherId, sameIdOtherName]) {
      const opened = openNote(TEXT + '\n' + line + PETER_SIG, [peter()]);
      expect(opened.ok && opened.unknown.length).toBe(1);
    }
  });

  it('refuses every proper substring and every one-byte change of the PeterNeumann vkey (Go TestNewVerifier)', () => {
    for (let i = 0; i <= PETER_VKEY.length; i++) {
      for (let j = i + 1; j <= PETER_VKEY.length; j++) {
        if (i === 0 && j === PETER_VKEY.length) continue;
        expect(() => parseVerifierKey(PETER_VKEY.slice(i, j))).toThrow(DecodeError);
      }
    }
    for (let i = 0; i < PETER_VKEY.length; i++) {
      const mangled = PETER_VKEY.slice(0, i) + String.fromCharCode(PETER_VKEY.charCodeAt(i) + 1) + PETER_VKEY.slice(i + 1);
      expect(() => parseVerifierKey(mangled)).toThrow(DecodeError);
    }
  });

  it('refuses a wrong-length key and an unknown algorithm even with an adjusted key ID (Go TestNewVerifier)', () => {
    expect(refusal(() => parseVerifierKey('PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY=='))).toMatch(/32 bytes|unused bits/); // Go's lenient base64 gets to the length check; ours stops earlier
    expect(refusal(() => parseVerifierKey('PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW'))).toMatch(/unsupported signature type/);
  });

  it('refuses every proper substring and every one-byte change of the PeterNeumann skey (Go TestNewSigner)', () => {
    for (let i = 0; i <= PETER_SKEY.length; i++) {
      for (let j = i + 1; j <= PETER_SKEY.length; j++) {
        if (i === 0 && j === PETER_SKEY.length) continue;
        expect(() => parseSignerKey(PETER_SKEY.slice(i, j))).toThrow(DecodeError);
      }
    }
    for (let i = 0; i < PETER_SKEY.length; i++) {
      const mangled = PETER_SKEY.slice(0, i) + String.fromCharCode(PETER_SKEY.charCodeAt(i) + 1) + PETER_SKEY.slice(i + 1);
      expect(() => parseSignerKey(mangled)).toThrow(DecodeError);
    }
  });

  it('computes the key ID as SHA-256(name ‖ 0x0A ‖ type ‖ key)[:4]', () => {
    const key = parseVerifierKey(PETER_VKEY);
    expect(computeKeyId('PeterNeumann', SIG_TYPE_ED25519, key.publicKey)).toBe(0xc74f20a3);
  });
});

describe('B.3 signed note: round trips', () => {
  const line = fc.stringMatching(/^[^\u0000-\u001f]{0,40}$/);
  const text = fc.array(line, { minLength: 1, maxLength: 6 }).map((ls) => ls.join('\n') + '\n');
  const name = fc.stringMatching(/^[a-z0-9./_-]{1,20}$/);
  const seed = fc.uint8Array({ minLength: 32, maxLength: 32 });

  it('sign → parse → encode gives back the same note, and it verifies', () => {
    fc.assert(
      fc.property(text, name, seed, (t, n, s) => {
        const key = signerKeyFromSeed(n, s);
        const note = signNote(t, [ed25519NoteSigner(key)]);
        const parsed = parseNote(note);
        expect(parsed.text).toBe(t);
        expect(encodeNote(parsed)).toBe(note);
        expect(openNote(note, [ed25519NoteVerifier(verifierKeyOf(key))]).ok).toBe(true);
        expect(parseVerifierKey(encodeVerifierKey(verifierKeyOf(key)))).toEqual(verifierKeyOf(key));
        expect(parseSignerKey(encodeSignerKey(key))).toEqual(key);
      }),
      { numRuns: 60 },
    );
  });

  it('base64 decode(encode(b)) = b and refuses non-canonical forms', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 40 }), (b) => {
      expect(decodeBase64(encodeBase64(b), 'b')).toEqual(b);
    }));
    expect(refusal(() => decodeBase64('QR==', 'b'))).toMatch(/unused bits/);
    expect(refusal(() => decodeBase64('QQ', 'b'))).toMatch(/multiple of 4/);
    expect(refusal(() => decodeBase64('Q-==', 'b'))).toMatch(/not standard base64/);
    expect(refusal(() => decodeBase64('QQ=A', 'b'))).toMatch(/not standard base64/);
  });

  it('keeps empty lines inside the text: the last blank line separates the signatures', () => {
    const key = signerKeyFromSeed('example.com/k', new Uint8Array(32).fill(7));
    const t = 'a\n\nb\n\n';
    const note = signNote(t, [ed25519NoteSigner(key)]);
    expect(parseNote(note).text).toBe(t);
  });
});

describe('B.3.1 signed note: every parser rule refuses malformed input', () => {
  const good = TEXT + '\n' + PETER_SIG;
  const cases: [string, string | Uint8Array, RegExp][] = [
    ['text only, no signatures (Go badMsgs)', TEXT, /no blank line/],
    ['blank line but no signature line (Go badMsgs)', TEXT + '\n', /no signature lines/],
    ['last signature line without newline (Go badMsgs)', TEXT + '\n' + PETER_SIG.slice(0, -1), /does not end in newline/],
    ['control character U+0001 (Go badMsgs)', '\x01' + good, /control character U\+0001/],
    ['invalid UTF-8 byte 0xff (Go badMsgs)', Uint8Array.of(0xff, ...new TextEncoder().encode(good)), /not valid UTF-8/],
    ['overlong UTF-8 encoding of "/"', Uint8Array.of(0xc0, 0xaf, ...new TextEncoder().encode(good)), /not valid UTF-8/],
    ['UTF-8-encoded surrogate', Uint8Array.of(0xed, 0xa0, 0x80, 0x0a, ...new TextEncoder().encode(good)), /not valid UTF-8/],
    ['lone surrogate in a string', '\ud800' + good, /lone surrogate/],
    ['carriage return in the text', TEXT.replace('\n', '\r\n') + '\n' + PETER_SIG, /control character U\+000d/],
    ['CRLF after a signature line', TEXT + '\n' + PETER_SIG.slice(0, -1) + '\r\n', /control character U\+000d/],
    ['tab in the text', '\t' + good, /control character U\+0009/],
    ['NUL in the text', '\u0000' + good, /control character U\+0000/],
    ['signature name with a space (Go badMsgs)', TEXT + '\n— Bad Name x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n', /multiple of 4|not standard base64|invalid key name/],
    ['a line after the signatures that is not a signature (Go badMsgs)', good + 'Unexpected line.\n', /signature line 5.*does not start with/],
    ['hyphen instead of em dash', TEXT + '\n' + PETER_SIG.replace('—', '-'), /does not start with/],
    ['en dash instead of em dash', TEXT + '\n' + PETER_SIG.replace('—', '–'), /does not start with/],
    ['no space after the em dash', TEXT + '\n' + PETER_SIG.replace('— ', '—'), /does not start with/],
    ['two spaces before the signature', TEXT + '\n' + PETER_SIG.replace('Neumann ', 'Neumann  '), /multiple of 4|not standard base64/],
    ['no signature after the name', TEXT + '\n— PeterNeumann\n', /expected "— <key name>/],
    ['empty signature', TEXT + '\n— PeterNeumann \n', /empty signature/],
    ['empty key name', TEXT + '\n' + PETER_SIG.replace('PeterNeumann', ''), /invalid key name/],
    ['key name with +', TEXT + '\n' + PETER_SIG.replace('PeterNeumann', 'Peter+Neumann'), /invalid key name/],
    ['key name with a no-break space', TEXT + '\n' + PETER_SIG.replace('PeterNeumann', 'Peter\u00a0Neumann'), /invalid key name/],
    ['key name with an ideographic space', TEXT + '\n' + PETER_SIG.replace('PeterNeumann', 'Peter\u3000Neumann'), /invalid key name/],
    ['signature of 4 bytes (key ID only)', TEXT + '\n— PeterNeumann x08gow==\n', /shorter than key ID/],
    ['unpadded base64 signature', TEXT + '\n' + PETER_SIG.replace('=\n', '\n'), /multiple of 4/],
    ['non-canonical base64 (unused bits set)', TEXT + '\n' + PETER_SIG.replace('AM=\n', 'AN=\n'), /unused bits/],
    ['trailing space after the signature', TEXT + '\n' + PETER_SIG.replace('=\n', '= \n'), /multiple of 4|not standard/],
    ['duplicate signature by the same key', good + PETER_SIG, /two signatures by key PeterNeumann\+c74f20a3/],
    ['duplicate unknown signatures', TEXT + '\n' + ENOCH_SIG + ENOCH_SIG, /two signatures by key EnochRoot\+af0cfe78/],
    ['more than MAX_SIGNATURES signatures', TEXT + '\n' + Array.from({ length: MAX_SIGNATURES + 1 }, (_, i) => PETER_SIG.replace('PeterNeumann', `k${i}`)).join(''), /more than 100 signatures/],
    ['note longer than MAX_NOTE_BYTES', 'a'.repeat(MAX_NOTE_BYTES) + '\n\n' + PETER_SIG, /longer than/],
    ['empty input', '', /no blank line/],
  ];
  for (const [rule, input, message] of cases) {
    it(`refuses: ${rule}`, () => {
      expect(refusal(() => parseNote(input))).toMatch(message);
      expect(() => openNote(input, [peter()])).toThrow(DecodeError);
    });
  }

  it('splits at the last blank line: a blank line between signatures moves the first into the text', () => {
    const note = TEXT + '\n' + PETER_SIG + '\n' + ENOCH_SIG;
    expect(parseNote(note).text).toBe(TEXT + '\n' + PETER_SIG);
    expect(openNote(note, [peter()])).toMatchObject({ ok: false, reason: 'no-known-signature' });
  });

  it('accepts 16 signatures (the minimum the spec requires) and MAX_SIGNATURES', () => {
    for (const n of [16, MAX_SIGNATURES]) {
      const lines = Array.from({ length: n - 1 }, (_, i) => PETER_SIG.replace('PeterNeumann', `k${i}`)).join('');
      const opened = openNote(TEXT + '\n' + lines + PETER_SIG, [peter()]);
      expect(opened.ok && opened.unknown.length).toBe(n - 1);
    }
  });

  it('refuses to sign text without a final newline, with a CR, or with an invalid key name', () => {
    const signer = ed25519NoteSigner(parseSignerKey(PETER_SKEY));
    expect(refusal(() => signNote('abc', [signer]))).toMatch(/does not end in newline/);
    expect(refusal(() => signNote('a\r\n', [signer]))).toMatch(/control character/);
    expect(refusal(() => signNote(TEXT, []))).toMatch(/no signature lines/);
    expect(refusal(() => signNote(TEXT, [signer, signer]))).toMatch(/two signatures/);
    expect(refusal(() => signNote(TEXT, [{ ...signer, name: 'bad name' }]))).toMatch(/invalid key name/);
  });

  it('key name rules: non-empty, no Unicode space, no +', () => {
    for (const ok of ['PeterNeumann', 'example.com/log42', 'oid/1.3.6.1', 'ünïcode']) expect(isValidKeyName(ok)).toBe(true);
    for (const bad of ['', 'a b', 'a+b', 'a\tb', 'a\nb', 'a\u0085b', 'a\u2028b', 'a\u202fb', 'a\u3000b', '\ud800']) expect(isValidKeyName(bad)).toBe(false);
  });

  it('vkey refusals name the field: upper-case hex, short hex, missing parts, bad base64', () => {
    expect(refusal(() => parseVerifierKey(PETER_VKEY.replace('c74f20a3', 'C74F20A3')))).toMatch(/^vkey: key ID is not 8 lower-case/);
    expect(refusal(() => parseVerifierKey('PeterNeumann+c74f20a+ARpc'))).toMatch(/^vkey:/);
    expect(refusal(() => parseVerifierKey('PeterNeumann'))).toMatch(/^vkey:/);
    expect(refusal(() => parseVerifierKey('PeterNeumann+c74f20a3+'))).toMatch(/^vkey: empty key/);
    expect(refusal(() => parseVerifierKey('rekor.sigstore.dev+12345678+THIS_IS_NOT_BASE64!'))).toMatch(/^vkey:/);
    expect(refusal(() => parseVerifierKey(PETER_VKEY.replace('c74f20a3', '00000000')))).toMatch(/does not match/);
  });
});

/**
 * checkManifestKeys (verifier/manifest-keys.ts): a device compares the keys entry 0 names with the
 * keys it holds from outside the server (spec §B.1.4, §B.1.5.1). Every key swapped is one difference
 * naming its field; other spellings of the same key, and witnesses in another order, are none.
 */
import { describe, expect, it } from 'vitest';
import { seededRandom, toHex } from '../../crypto/index.ts';
import { SIG_TYPE_COSIGNATURE_V1, encodeManifest, encodeVerifierKey, registrarPublicKey, signerKeyFromSeed, verifierKeyOf } from '../../bulletin-board/index.ts';
import { checkManifestKeys } from '../../verifier/index.ts';
import { sampleManifest } from '../board/poll-support.ts';

const witness = (name: string, fill: number) => encodeVerifierKey(verifierKeyOf(signerKeyFromSeed(name, new Uint8Array(32).fill(fill), SIG_TYPE_COSIGNATURE_V1)));
const W1 = witness('witness.example/alice', 3);
const W2 = witness('witness.example/bo', 4);
const W3 = witness('witness.example/chen', 5);

const manifest = sampleManifest(seededRandom('manifest keys'), { witnesses: { keys: [W1, W2], k: 1 } });
const bytes = encodeManifest(manifest);
const held = { registrarKey: manifest.registrar.key, logKey: manifest.logKey, witnessKeys: [W1, W2] };

describe('checkManifestKeys', () => {
  it('finds no difference when the manifest names every key held, whatever their spelling and order', () => {
    expect(checkManifestKeys(bytes, held)).toEqual([]);
    expect(checkManifestKeys(bytes, { registrarKey: toHex(manifest.registrar.key).toUpperCase(), witnessKeys: [` ${W2}`, W1, W1] })).toEqual([]);
    expect(checkManifestKeys(manifest, held)).toEqual([]);
    expect(checkManifestKeys(bytes, {})).toEqual([]);
  });

  it('names a swapped registrar key', () => {
    const other = registrarPublicKey(new Uint8Array(32).fill(9));
    expect(checkManifestKeys(bytes, { ...held, registrarKey: other })).toEqual([{ field: 'registrarKey', expected: toHex(other), found: toHex(manifest.registrar.key) }]);
  });

  it('names a swapped log key', () => {
    const other = encodeVerifierKey(verifierKeyOf(signerKeyFromSeed(manifest.origin, new Uint8Array(32).fill(8))));
    expect(checkManifestKeys(bytes, { ...held, logKey: other }).map((d) => d.field)).toEqual(['logKey']);
  });

  it('names a witness list with one key swapped, one left out or one added', () => {
    for (const keys of [[W1, W3], [W1], [W1, W2, W3], []]) expect(checkManifestKeys(bytes, { ...held, witnessKeys: keys }).map((d) => d.field), keys.join()).toEqual(['witnessKeys']);
  });

  it('names every key that differs at once', () => {
    const stranger = sampleManifest(seededRandom('another poll'));
    expect(checkManifestKeys(encodeManifest(stranger), held).map((d) => d.field)).toEqual(['registrarKey', 'logKey', 'witnessKeys']);
  });

  it('throws on bytes that are not a manifest', () => {
    expect(() => checkManifestKeys(bytes.subarray(0, bytes.length - 1), held)).toThrow();
  });
});

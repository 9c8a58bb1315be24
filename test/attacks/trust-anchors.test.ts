/**
 * Attacks on the roots of trust (docs/security.md §1, C2): a server that lists its own voters, a
 * record whose log key is not the manifest's, a fabricated poll shown to an observer who holds the
 * real poll's fingerprint. Each worked before the manifest named its keys; each now fails a check.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { ed25519 } from '@noble/curves/ed25519.js';
import { generateKeyPair, seededRandom } from '../../crypto/index.ts';
import {
  EntryType,
  encodeCredentialList,
  encodeEntry,
  encodeRecordItem,
  encodeVerifierKey,
  credentialListMessage,
  hashEntry,
  hashLeaf,
  merkleTreeHash,
  pollFingerprint,
  signCheckpoint,
  recordHeader,
  signerKeyFromSeed,
  verifierKeyOf,
} from '../../bulletin-board/index.ts';
import { verifyRecord } from '../../verifier/index.ts';
import { buildBase, concat, rechain, recordChunks, type Base } from '../verifier/mutation-support.ts';

let base: Base;
beforeAll(async () => {
  base = await buildBase();
}, 120_000);

/** A credentials entry listing `keys` (weight 1000 each), signed with `seed` for the base poll, at height h. */
function stuffedCredentials(seed: Uint8Array, h: number): Uint8Array {
  const rng = seededRandom('stuffing');
  const list = [generateKeyPair(rng), generateKeyPair(rng)].map((k) => ({ key: k.publicKey, weight: 1000 }));
  const listBytes = encodeCredentialList(list);
  const signature = ed25519.sign(credentialListMessage(base.manifestHash, listBytes), seed);
  const time = Number(new DataView(base.entries[h - 1].buffer, base.entries[h - 1].byteOffset + 42, 8).getBigUint64(0));
  return encodeEntry({ type: 'credentials', height: h, prev: new Uint8Array(32), time }, Uint8Array.of(...listBytes, ...signature));
}

describe('finding 3: the voter list is the registrar’s', () => {
  it('a credentials entry the server adds (signed by its own key, weight 1000) fails V39 at that entry, though the log signed the whole record', async () => {
    const h = 2; // right after the registrar's list
    const serverSeed = base.signer.seed; // the server holds the log key: it signs with what it has
    const entries = rechain([...base.entries.slice(0, h), stuffedCredentials(serverSeed, h), ...base.entries.slice(h)], h);
    expect(entries[h][0]).toBe(EntryType.credentials);
    const report = await verifyRecord(recordChunks(base, entries));
    expect(report.valid).toBe(false);
    expect(report.failures[0]).toMatchObject({ check: 'V39', entry: h });
    expect(report.failures[0].reason).toMatch(/BAD_REGISTRAR_SIGNATURE/);
  });

  it('the same list signed by the registrar verifies: the check is the signature, not the list', async () => {
    const h = 2;
    const entries = rechain([...base.entries.slice(0, h), stuffedCredentials(base.registrarSeed, h), ...base.entries.slice(h)], h);
    const report = await verifyRecord(recordChunks(base, entries));
    expect(report.failures.filter((f) => f.check === 'V39')).toEqual([]);
  });
});

describe('finding 7: the log key and the poll come from the manifest, pinned by the fingerprint people hold', () => {
  it('a record whose log-key item is not the manifest’s fails V15, even when every checkpoint verifies under its own key', async () => {
    const other = signerKeyFromSeed(base.origin, new Uint8Array(32).fill(9));
    const rootHash = merkleTreeHash(base.entries.map((e) => hashLeaf(hashEntry(e))));
    const note = signCheckpoint({ origin: base.origin, size: base.entries.length, rootHash, extensions: [] }, other);
    const chunks = [
      recordHeader(),
      encodeRecordItem({ kind: 'logKey', key: encodeVerifierKey(verifierKeyOf(other)) }),
      ...base.entries.map((bytes) => encodeRecordItem({ kind: 'entry', bytes })),
      encodeRecordItem({ kind: 'checkpoint', note }),
      encodeRecordItem({ kind: 'end', entries: base.entries.length }),
    ];
    const report = await verifyRecord(chunks);
    expect(report.valid).toBe(false);
    expect(report.failures.map((f) => f.check)).toEqual(['V15', 'V15']);
    expect(report.failures[0].reason).toMatch(/another log key than its manifest/);
  });

  it('the genuine record, pinned to its fingerprint, is valid; the report names the fingerprint', async () => {
    const fingerprint = pollFingerprint(base.entries[0].subarray(50));
    const report = await verifyRecord(recordChunks(base, base.entries), { fingerprint });
    expect(report.valid).toBe(true);
    expect(report.checks).toContain('V42');
    expect(report.fingerprint!.replace(/ /g, '')).toHaveLength(52);
  });

  it('a record that is valid in itself fails V42 against the fingerprint of another poll (a whole fabricated poll: test/verifier/cli.test.ts)', async () => {
    const held = pollFingerprint(base.entries[0].subarray(50));
    const forged = await verifyRecord([concat(recordChunks(base, base.entries))], { fingerprint: Uint8Array.from(held, (b, i) => (i === 0 ? b ^ 1 : b)) });
    expect(forged.valid).toBe(false);
    expect(forged.failures).toEqual([expect.objectContaining({ check: 'V42', entry: 0 })]);
    expect(forged.failures[0].reason).toMatch(/not the poll you were told about/);
  });
});

describe('the report says what no check can', () => {
  it('warns when the manifest requires no witness, and when no fingerprint was given', async () => {
    const report = await verifyRecord(recordChunks(base, base.entries));
    expect(report.warnings.join('\n')).toMatch(/requires no witness cosignature/);
    expect(report.warnings.join('\n')).toMatch(/no fingerprint was given/);
    expect(report.witnesses).toEqual({ listed: [], cosigned: [], k: 0 });
  });
});

/**
 * Which witnesses a poll takes: exactly those its manifest names (spec §B.1.4, §B.3.9). The board
 * refuses anyone else's cosignature; the record carries the listed witnesses' cosignatures of its
 * final checkpoint, and the verifier counts k of them (V40), never a stranger's.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../../crypto/index.ts';
import {
  SIG_TYPE_COSIGNATURE_V1,
  cosignCheckpoint,
  encodeRecordItem,
  encodeVerifierKey,
  parseNote,
  parseRecord,
  parseVerifierKey,
  recordHeader,
  signerKeyFromSeed,
  verifierKeyOf,
  verifyCosignature,
  type SignerKey,
} from '../../bulletin-board/index.ts';
import { verifyRecord } from '../../verifier/index.ts';
import { Client, courtyardDraft, dumpDatabase, openPoll, startServer, type Running } from './support.ts';

const rng = seededRandom('witness list');
const witness = (i: number): SignerKey => signerKeyFromSeed(`witness-${i}.example`, rng(32), SIG_TYPE_COSIGNATURE_V1);
const vkey = (k: SignerKey) => encodeVerifierKey(verifierKeyOf(k));
const [alice, bob, stranger] = [witness(1), witness(2), witness(3)];

let running: Running;
let poll: string;
let owner: Client;
const anyone = () => new Client(running.base, null);

const now = () => Math.floor(Date.now() / 1000);

async function cosign(k: SignerKey, timestamp = now(), extra: SignerKey[] = []) {
  const latest = (await anyone().get(`/api/polls/${poll}/checkpoint`)).body;
  let note = cosignCheckpoint(latest.checkpoint, k, timestamp);
  for (const x of extra) note = cosignCheckpoint(note, x, timestamp);
  return anyone().post(`/api/polls/${poll}/cosignatures`, { witness: vkey(k), cosigned: note });
}

async function record(): Promise<Uint8Array> {
  const res = await fetch(`${running.base}/api/polls/${poll}/record`);
  return new Uint8Array(await res.arrayBuffer());
}

beforeAll(async () => {
  running = await startServer();
  const draft = { ...courtyardDraft({ t: 1, n: 1 }), witnesses: { keys: [vkey(alice), vkey(bob)], k: 2 } };
  ({ owner, poll } = await openPoll(running, { voters: 1, draft, open: false }));
});
afterAll(() => running.close());

describe('witnesses named by the manifest', () => {
  it('publish only the posting witness’s own line, and refuse a cosignature dated in the future', async () => {
    const future = await cosign(alice, now() + 3600);
    expect(future.status).toBe(422);
    expect(future.body.error).toBe('BAD_COSIGNATURE');
    const posted = await cosign(alice, now(), [stranger]);
    expect(posted.status, JSON.stringify(posted.body)).toBe(201);
    const published = (await anyone().get(`/api/polls/${poll}/checkpoint`)).body.cosignatures.find((c: { witness: string }) => c.witness === vkey(alice));
    expect(published.cosigned).toContain(`— ${alice.name} `);
    expect(published.cosigned).not.toContain(stranger.name);
  });

  it('refuse a stranger’s cosignature with WITNESS_NOT_LISTED, with nothing written', async () => {
    const before = dumpDatabase(running);
    const refused = await cosign(stranger);
    expect(refused.status).toBe(403);
    expect(refused.body.error).toBe('WITNESS_NOT_LISTED');
    expect(dumpDatabase(running)).toEqual(before);
    const published = (await anyone().get(`/api/polls/${poll}/checkpoint`)).body;
    expect(published.witnesses).toEqual([vkey(alice), vkey(bob)].sort());
    expect(published.k).toBe(2);
  });

  it('the record carries the listed witnesses’ cosignatures of its final checkpoint; the verifier needs k of them (V40)', async () => {
    // One of two: V40 fails, naming the count.
    const one = await verifyRecord([await record()]);
    expect(one.witnesses).toEqual({ listed: [alice.name, bob.name], cosigned: [alice.name], k: 2 });
    expect(one.failures.map((f) => f.check)).toEqual(['V40']);
    expect(one.failures[0].reason).toMatch(/1 valid cosignature .* requires 2/);
    // Both: valid.
    expect((await cosign(bob)).status).toBe(201);
    const both = await verifyRecord([await record()]);
    expect(both.valid, JSON.stringify(both.failures)).toBe(true);
    expect(both.witnesses?.cosigned).toEqual([alice.name, bob.name]);
    expect(both.checks).toContain('V40');
  });

  it('the verifier does not count a stranger’s cosignature added to the record’s final checkpoint', async () => {
    // A server that wants its fork to pass adds a cosignature of its own key: it is ignored.
    const latest = (await anyone().get(`/api/polls/${poll}/checkpoint`)).body.checkpoint as string;
    const withStranger = cosignCheckpoint(cosignCheckpoint(latest, alice, now()), stranger, now());
    expect(parseNote(withStranger).signatures.map((s) => s.name)).toEqual([parseNote(latest).signatures[0].name, alice.name, stranger.name]);
    expect(verifyCosignature(withStranger, parseVerifierKey(vkey(stranger))).ok).toBe(true); // a real cosignature…
    const report = await verifyRecordWithFinal(withStranger);
    expect(report.witnesses?.cosigned).toEqual([alice.name]); // …that does not count
    expect(report.failures.map((f) => f.check)).toEqual(['V40']);
  });

  it('refuse a witness list with a key that is not a cosignature key, from anyone but the organiser, or after publication', async () => {
    const wrongType = encodeVerifierKey(verifierKeyOf(signerKeyFromSeed('plain.example', rng(32))));
    const draftPoll = (await owner.post('/api/polls', { draft: courtyardDraft() })).body.id as string;
    const r = await owner.put(`/api/polls/${draftPoll}/witnesses`, { witnesses: [wrongType] });
    expect(r.status).toBe(400);
    expect(r.body.error).toBe('BAD_REQUEST');
    const ok = await owner.put(`/api/polls/${draftPoll}/witnesses`, { witnesses: [vkey(alice)], k: 1 });
    expect(ok.body).toEqual({ witnesses: [vkey(alice)], k: 1 });
    const tooMany = await owner.put(`/api/polls/${draftPoll}/witnesses`, { witnesses: [vkey(alice)], k: 2 });
    expect(tooMany.body.error).toBe('BAD_REQUEST');
    const outsider = await new Client(running.base).put(`/api/polls/${draftPoll}/witnesses`, { witnesses: [] });
    expect(outsider.body.error).toBe('UNAUTHENTICATED');
    const published = await owner.put(`/api/polls/${poll}/witnesses`, { witnesses: [vkey(stranger)] });
    expect(published.status).toBe(409);
    expect(published.body.error).toBe('WRONG_STATE');
  });
});

/** The server's record with its final checkpoint replaced by `note` (same size and root, other signature lines). */
async function verifyRecordWithFinal(note: string) {
  const r = parseRecord(await record());
  const chunks = [
    recordHeader(),
    encodeRecordItem({ kind: 'logKey', key: r.logKey }),
    ...r.entries.map((bytes) => encodeRecordItem({ kind: 'entry', bytes })),
    encodeRecordItem({ kind: 'checkpoint', note }),
    encodeRecordItem({ kind: 'end', entries: r.entries.length }),
  ];
  return verifyRecord(chunks);
}

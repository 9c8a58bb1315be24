/**
 * Which witnesses a poll publishes: any witness, first come, up to MAX_WITNESSES; or, once the
 * organiser lists witness keys, only those (so nobody can fill the slots with throwaway keys).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../../crypto/index.ts';
import { SIG_TYPE_COSIGNATURE_V1, cosignCheckpoint, encodeVerifierKey, signerKeyFromSeed, verifierKeyOf, type SignerKey } from '../../bulletin-board/index.ts';
import { MAX_WITNESSES } from '../../server/api/witness-slots.ts';
import { Client, courtyardDraft, dumpDatabase, openPoll, startServer, type Running } from './support.ts';

const rng = seededRandom('witness list');
const witness = (i: number): SignerKey => signerKeyFromSeed(`witness-${i}.example`, rng(32), SIG_TYPE_COSIGNATURE_V1);
const vkey = (k: SignerKey) => encodeVerifierKey(verifierKeyOf(k));

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

beforeAll(async () => {
  running = await startServer();
  ({ owner, poll } = await openPoll(running, { voters: 1, draft: courtyardDraft({ t: 1, n: 1 }), open: false }));
});
afterAll(() => running.close());

describe('witness slots', () => {
  it('publish only the posting witness’s own line, and refuse a cosignature dated in the future', async () => {
    const k = witness(300);
    const future = await cosign(k, now() + 3600);
    expect(future.status).toBe(422);
    expect(future.body.error).toBe('BAD_COSIGNATURE');
    const posted = await cosign(k, now(), [witness(301)]);
    expect(posted.status, JSON.stringify(posted.body)).toBe(201);
    const published = (await anyone().get(`/api/polls/${poll}/checkpoint`)).body.cosignatures.find((c: { witness: string }) => c.witness === vkey(k));
    expect(published.cosigned).toContain(`— ${k.name} `);
    expect(published.cosigned).not.toContain('witness-301.example');
  });

  it('take any witness first come, up to the limit, and refuse the next with nothing written', async () => {
    for (let i = 1; i < MAX_WITNESSES; i++) expect((await cosign(witness(i))).status).toBe(201);
    const before = dumpDatabase(running);
    const extra = await cosign(witness(99));
    expect(extra.status).toBe(409);
    expect(extra.body.error).toBe('TOO_MANY_WITNESSES');
    expect(dumpDatabase(running)).toEqual(before);
  });

  it('take only the witnesses the organiser lists, once she lists any', async () => {
    const trusted = witness(200);
    const listed = await owner.put(`/api/polls/${poll}/witnesses`, { witnesses: [vkey(trusted)] });
    expect(listed.status).toBe(200);
    expect(listed.body.witnesses).toEqual([vkey(trusted)]);
    const before = dumpDatabase(running);
    const stranger = await cosign(witness(201));
    expect(stranger.status).toBe(403);
    expect(stranger.body.error).toBe('WITNESS_NOT_LISTED');
    expect(dumpDatabase(running)).toEqual(before);
    // The listed witness is taken even though the first-come slots are full.
    await owner.put(`/api/polls/${poll}/witnesses`, { witnesses: [vkey(trusted)] });
    const ok = await cosign(trusted);
    expect(ok.status, JSON.stringify(ok.body)).toBe(201);
    const published = (await anyone().get(`/api/polls/${poll}/checkpoint`)).body;
    expect(published.witnesses).toEqual([vkey(trusted)]);
    expect(published.cosignatures.map((c: { witness: string }) => c.witness)).toContain(vkey(trusted));
  });

  it('refuse a listed key that is not a cosignature key, and a list from anyone but the organiser', async () => {
    const wrongType = encodeVerifierKey(verifierKeyOf(signerKeyFromSeed('plain.example', rng(32))));
    const r = await owner.put(`/api/polls/${poll}/witnesses`, { witnesses: [wrongType] });
    expect(r.status).toBe(400);
    expect(r.body.error).toBe('BAD_REQUEST');
    const stranger = await new Client(running.base).put(`/api/polls/${poll}/witnesses`, { witnesses: [] });
    expect(stranger.body.error).toBe('UNAUTHENTICATED');
  });
});

/**
 * Roll changes on the record (spec §B.4.6.1, §B.4.6.8), over HTTP on a real SQLite file: a voter
 * listed after the poll opened votes; a lost code is replaced (the old credential revoked in an entry
 * the registrar signed, a new one listed with its weight): the old code is refused, the new one votes,
 * and the verifier counts the right ballot. A credential that has cast cannot be revoked. Every refusal
 * has its code and writes nothing. The registrar of her own does the same with her link.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { encodePoint, seededRandom, type Point } from '../../crypto/index.ts';
import { registrarPublicKey, signRevocation } from '../../bulletin-board/index.ts';
import { verifyRecord } from '../../verifier/index.ts';
import {
  Client,
  TEST_REGISTRAR_SEED,
  Voter,
  castBallot,
  courtyardDraft,
  credentialsBody,
  dumpDatabase,
  hex,
  manifestHashOf,
  openPoll,
  organiser,
  startServer,
  type Running,
} from './support.ts';

const servers: Running[] = [];
afterAll(() => Promise.all(servers.map((s) => s.close())));

const ANSWERS = [{ values: [1, 0, 0] }, { values: [1, 0, 0, 0] }, { values: [0, 0, 1] }];
const OTHER = [{ values: [0, 1, 0] }, { values: [0, 1, 0, 0] }, { values: [1, 0, 0] }];

async function revocationBody(client: Client, poll: string, keys: readonly Point[], seed: Uint8Array = TEST_REGISTRAR_SEED) {
  const signed = signRevocation(keys, await manifestHashOf(client, poll), seed);
  return { keys: keys.map((k) => hex(encodePoint(k))), signature: hex(signed.subarray(signed.length - 64)) };
}

describe('roll changes on the record', () => {
  it('adds a voter while open, replaces a lost code, refuses to revoke one that voted; nothing written on refusal; the verifier counts the right ballots', async () => {
    const running = await startServer();
    servers.push(running);
    const { owner, poll, voters, trustees, rng } = await openPoll(running, { voters: 3 });
    const refused = async (path: string, body: unknown, status: number, code: string, client: Client = owner) => {
      const before = dumpDatabase(running);
      const r = await client.post(path, body);
      expect(r.status, JSON.stringify(r.body)).toBe(status);
      expect(r.body.error).toBe(code);
      expect(dumpDatabase(running)).toEqual(before);
      return r;
    };
    const status = (v: Voter) => owner.get(`/api/polls/${poll}/credentials/${hex(encodePoint(v.credential.publicKey))}`);

    // Voter 0 votes; her credential can no longer be revoked.
    expect((await castBallot(owner, poll, (await voters[0].ballot(owner, ANSWERS, rng)).bytes)).status).toBe(201);
    const hasCast = await refused(`/api/polls/${poll}/revocations`, await revocationBody(owner, poll, [voters[0].credential.publicKey]), 409, 'CREDENTIAL_HAS_CAST');
    expect(hasCast.body.message).toMatch(/has cast 1 ballot/);

    // A household that moved in after opening: listed while open; she votes.
    const newcomer = Voter.make(poll, seededRandom('newcomer'));
    const added = await owner.post(`/api/polls/${poll}/credentials`, await credentialsBody(owner, poll, [{ key: newcomer.credential.publicKey, weight: 1 }]));
    expect(added.status).toBe(200);
    expect(added.body.listed).toBe(4);
    expect((await castBallot(owner, poll, (await newcomer.ballot(owner, OTHER, rng)).bytes)).status).toBe(201);

    // Voter 1 lost her sheet: refusals first, each writing nothing.
    const lost = voters[1];
    const stranger = Voter.make(poll, seededRandom('never listed'));
    await refused(`/api/polls/${poll}/revocations`, await revocationBody(owner, poll, [lost.credential.publicKey], new Uint8Array(32).fill(9)), 422, 'BAD_REGISTRAR_SIGNATURE');
    await refused(`/api/polls/${poll}/revocations`, await revocationBody(owner, poll, [stranger.credential.publicKey]), 422, 'UNKNOWN_CREDENTIAL');
    await refused(`/api/polls/${poll}/revocations`, { keys: [], signature: '00'.repeat(64) }, 400, 'BAD_REQUEST');
    await refused(`/api/polls/${poll}/revocations`, { keys: ['zz'], signature: '00'.repeat(64) }, 400, 'BAD_REQUEST');
    await refused(`/api/polls/${poll}/revocations`, await revocationBody(owner, poll, [lost.credential.publicKey]), 401, 'UNAUTHENTICATED', new Client(running.base));

    // Then the replacement: the old credential revoked, a new one listed.
    const revoked = await owner.post(`/api/polls/${poll}/revocations`, await revocationBody(owner, poll, [lost.credential.publicKey]));
    expect(revoked.status).toBe(200);
    expect(revoked.body.listed).toBe(3);
    const replacement = Voter.make(poll, seededRandom('replacement'));
    expect((await owner.post(`/api/polls/${poll}/credentials`, await credentialsBody(owner, poll, [{ key: replacement.credential.publicKey, weight: 1 }]))).status).toBe(200);
    const old = await status(lost);
    expect(old.status).toBe(410);
    expect(old.body).toMatchObject({ error: 'REVOKED', height: revoked.body.height });
    await refused(`/api/polls/${poll}/revocations`, await revocationBody(owner, poll, [lost.credential.publicKey]), 422, 'REVOKED_CREDENTIAL');
    await refused(`/api/polls/${poll}/credentials`, await credentialsBody(owner, poll, [{ key: lost.credential.publicKey, weight: 1 }]), 422, 'DUPLICATE_CREDENTIAL');
    const oldBallot = await lost.ballot(owner, OTHER, rng);
    await refused(`/api/polls/${poll}/ballots`, { ballot: Buffer.from(oldBallot.bytes).toString('base64') }, 422, 'REVOKED_CREDENTIAL');
    expect((await castBallot(owner, poll, (await replacement.ballot(owner, OTHER, rng)).bytes)).status).toBe(201);

    // The poll page's summary lists the changes; the verifier counts voters 0, newcomer and replacement.
    const summary = (await owner.get(`/api/polls/${poll}`)).body;
    expect(summary.turnout).toMatchObject({ listed: 4, voters: 3 });
    expect(summary.roll.map((r: { added: number; revoked: number; whileOpen: boolean }) => [r.added, r.revoked, r.whileOpen])).toEqual([
      [3, 0, false],
      [1, 0, true],
      [0, 1, true],
      [1, 0, true],
    ]);
    expect((await owner.post(`/api/polls/${poll}/close`)).status).toBe(200);
    expect((await owner.post(`/api/polls/${poll}/tally`)).status).toBe(200);
    await trustees[0].decrypt();
    await trustees[1].decrypt();
    let result = (await owner.get(`/api/polls/${poll}/result`)).body;
    for (let i = 0; i < 100 && result.result === null; i++) {
      await new Promise((r) => setTimeout(r, 20));
      result = (await owner.get(`/api/polls/${poll}/result`)).body;
    }
    expect(result.result.counted).toBe(3);
    const record = new Uint8Array(await (await fetch(`${running.base}/api/polls/${poll}/record`)).arrayBuffer());
    const report = await verifyRecord([record]);
    expect(report.failures).toEqual([]);
    expect(report).toMatchObject({ valid: true, phase: 'done', listed: 4, counted: 3 });
    expect(report.checks).toContain('V44');
    expect(report.warnings.join('\n')).toMatch(/2 credential\(s\) were listed after voting opened and 1 revoked/);
    // Question 1: voter 0 chose option 1; the newcomer and the replacement chose option 2.
    expect(report.result![0].options.map((o) => o.total)).toEqual([1, 2, 0]);
    await refused(`/api/polls/${poll}/revocations`, await revocationBody(owner, poll, [voters[2].credential.publicKey]), 409, 'WRONG_PHASE');
  }, 120_000);

  it('a registrar of her own revokes with her link; the organiser’s session is not hers to use', async () => {
    const running = await startServer();
    servers.push(running);
    const owner = await organiser(running);
    const seed = new Uint8Array(32).fill(7);
    const poll: string = (await owner.post('/api/polls', { draft: { ...courtyardDraft(), registrar: null } })).body.id;
    const link: string = (await owner.post(`/api/polls/${poll}/registrar-invite`)).body.link;
    const registrar = new Client(running.base, running.base, { authorization: `Bearer ${link.split('#')[1]}` });
    expect((await registrar.put(`/api/polls/${poll}/registrar/key`, { name: 'Ms Chen', key: hex(registrarPublicKey(seed)) })).status).toBe(200);
    expect((await owner.post(`/api/polls/${poll}/publish`)).status).toBe(200);
    const v = Voter.make(poll, seededRandom('registrar voter'));
    expect((await registrar.post(`/api/polls/${poll}/registrar/credentials`, await credentialsBody(owner, poll, [{ key: v.credential.publicKey, weight: 2 }], seed))).status).toBe(200);

    const before = dumpDatabase(running);
    const notHers = await owner.post(`/api/polls/${poll}/revocations`, await revocationBody(owner, poll, [v.credential.publicKey]));
    expect(notHers.status).toBe(422);
    expect(notHers.body.error).toBe('BAD_REGISTRAR_SIGNATURE'); // signed with the organiser's test key, not the registrar's
    const noToken = await new Client(running.base).post(`/api/polls/${poll}/registrar/revocations`, await revocationBody(owner, poll, [v.credential.publicKey], seed));
    expect(noToken.status).toBe(401);
    expect(noToken.body.error).toBe('BAD_REGISTRAR_TOKEN');
    expect(dumpDatabase(running)).toEqual(before);

    const done = await registrar.post(`/api/polls/${poll}/registrar/revocations`, await revocationBody(owner, poll, [v.credential.publicKey], seed));
    expect(done.status).toBe(200);
    expect(done.body.listed).toBe(0);
    expect((await owner.get(`/api/polls/${poll}`)).body.roll.at(-1)).toMatchObject({ added: 0, revoked: 1, whileOpen: false });
  }, 60_000);
});

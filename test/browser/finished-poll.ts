/**
 * A poll for the observer pages' tests: published with a two-language courtyard draft, voters of the
 * given weights listed, the ceremony done through the API; then opened, voted (fixed answers, so the
 * count is known), counted and decrypted, unless `dates` are given (then it waits for its schedule).
 */
import { expect } from 'vitest';
import type { Answer } from '../../crypto/index.ts';
import { seededRandom } from '../../crypto/index.ts';
import type { Draft } from '../../server/polls/draft.ts';
import { castBallot, courtyardDraft, credentialsBody, organiser, runCeremony, TrusteeDevice, Voter, type Running } from '../server/support.ts';

// Voter 0 (weight 2 in the weighted poll) and voter 1 choose Red, voter 2 Green; several classes; projects.
export const ANSWERS: Answer[][] = [
  [{ values: [1, 0, 0] }, { values: [1, 1, 0, 0] }, { values: [1, 0, 1] }],
  [{ values: [1, 0, 0] }, { values: [1, 0, 0, 0] }, { values: [0, 1, 1] }],
  [{ values: [0, 1, 0] }, { values: [1, 0, 1, 0] }, { values: [1, 0, 0] }],
];

/** `draft` replaces the courtyard draft (for a poll in one language); `en` and `zh` then only seed the voters. */
export async function finishedPoll(site: Running, o: { en: string; zh: string; weights: number[]; dates?: { opensAt: number; closesAt: number }; draft?: Draft }): Promise<string> {
  const owner = await organiser(site);
  const draft = { ...(o.draft ?? { ...courtyardDraft(), title: [o.en, o.zh] }), ...(o.dates ?? {}) };
  const created = await owner.post('/api/polls', { draft });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const poll: string = created.body.id;
  const invites = (await owner.post(`/api/polls/${poll}/invites`)).body.invites as { trustee: number; token: string }[];
  expect((await owner.post(`/api/polls/${poll}/publish`)).status).toBe(200);
  const rng = seededRandom(`first-use observer ${o.en}`);
  const voters = o.weights.map(() => Voter.make(poll, rng));
  const listed = await owner.post(`/api/polls/${poll}/credentials`, await credentialsBody(owner, poll, voters.map((v, i) => ({ key: v.credential.publicKey, weight: o.weights[i] }))));
  expect(listed.status, JSON.stringify(listed.body)).toBe(200);
  const trustees = invites.map((i) => new TrusteeDevice(site.base, poll, i.trustee, i.token));
  await runCeremony(owner, poll, trustees);
  if (o.dates) return poll;
  expect((await owner.post(`/api/polls/${poll}/open`)).status).toBe(200);
  for (const [k, v] of voters.entries()) expect((await castBallot(owner, poll, (await v.ballot(owner, ANSWERS[k], rng)).bytes)).status).toBe(201);
  expect((await owner.post(`/api/polls/${poll}/close`)).status).toBe(200);
  expect((await owner.post(`/api/polls/${poll}/tally`)).status).toBe(200);
  await trustees[0].decrypt();
  await trustees[1].decrypt();
  for (let i = 0; (await owner.get(`/api/polls/${poll}/result`)).body.status !== 'done'; i++) {
    if (i > 400) throw new Error('no result after the decryption shares');
    await new Promise((r) => setTimeout(r, 50));
  }
  return poll;
}

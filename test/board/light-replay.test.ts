/**
 * The light path of opening a stored board (spec §B.5.2): a ballot's facts read by lengths
 * (skimBallot, no point decoded) are the full decoder's, for every ballot and audit of demo polls of
 * two shapes; a stored credential list read with its keys left undecoded is the decoded list; and a
 * board reopened on the light path holds exactly the state that the full rules (every proof
 * verified) build from the same entries.
 */
import { describe, expect, it } from 'vitest';
import { DecodeError, Reader, decodeBallot, encodePoint, skimBallot } from '../../crypto/index.ts';
import { Board, MemoryStorage, applyEntry, ballotFacts, createState, decodeEntry, decodePayload, skimCredentials, type StoredEntry } from '../../bulletin-board/index.ts';
import { runDemoPoll, type DemoQuestions } from '../../server/demo/demo-poll.ts';
import { stateDigest } from './state-digest.ts';

const demos = new Map<DemoQuestions, ReturnType<typeof run>>();
const run = async (questions: DemoQuestions) => {
  const storage = new MemoryStorage();
  return { ...(await runDemoPoll({ voters: 15, trustees: 1, threshold: 1, seed: `light replay ${questions}`, questions, storage })), storage };
};

/** A finished demo poll (audits, revotes, tally, result) of this shape, on a memory board; made once. */
function demo(questions: DemoQuestions): ReturnType<typeof run> {
  if (!demos.has(questions)) demos.set(questions, run(questions));
  return demos.get(questions)!;
}

/** The ballot bytes of a stored ballot or audit entry, or null. */
function ballotBytes(e: StoredEntry): Uint8Array | null {
  const raw = decodeEntry(e.bytes);
  if (raw.type === 'ballot') return raw.payload;
  if (raw.type === 'audit') return new Reader(raw.payload).framed('ballot', raw.payload.length);
  return null;
}

describe.each(['courtyard', 'peer'] as const)('the %s demo poll', (questions) => {
  it('gives, for every ballot and audit, the facts of the full decoder when read by lengths', async () => {
    const poll = await demo(questions);
    const shapes = poll.board.state.shapes!;
    let seen = 0;
    for (const e of poll.board.entries()) {
      const bytes = ballotBytes(e);
      if (bytes === null) continue;
      const full = ballotFacts(decodeBallot(bytes, shapes));
      const light = skimBallot(bytes, shapes);
      expect(light.fingerprint).toEqual(full.fingerprint);
      expect(light.credential).toEqual(full.credential);
      expect(light.slots).toEqual(full.slots);
      seen += 1;
    }
    expect(seen).toBe(poll.ballots + poll.audits);
    expect(poll.audits).toBeGreaterThan(0);
  });

  it('reopens on the light path to exactly the state the full rules build, proofs verified', async () => {
    const poll = await demo(questions);
    const full = createState();
    for (const e of poll.board.entries()) {
      const v = await applyEntry(full, e.bytes);
      if (!v.ok) throw new Error(`${v.code}: ${v.reason}`);
    }
    const reopened = await Board.open({ storage: poll.storage, logKey: poll.logKey });
    expect(stateDigest(reopened.state)).toEqual(stateDigest(full));
    expect(reopened.state.phase).toBe('done');
  });
});

describe('skimBallot', () => {
  it('refuses bytes not laid out as a ballot of the shapes: short, long, another version, another question count', async () => {
    const poll = await demo('peer');
    const shapes = poll.board.state.shapes!;
    const bytes = [...poll.board.entries()].map(ballotBytes).find((b) => b !== null)!;
    const cases: [string, Uint8Array, readonly typeof shapes[number][]][] = [
      ['one byte short', bytes.subarray(0, bytes.length - 1), shapes],
      ['one byte more', Uint8Array.of(...bytes, 0), shapes],
      ['another version', Uint8Array.of(2, ...bytes.subarray(1)), shapes],
      ['another question count', bytes, shapes.slice(0, 1)],
    ];
    for (const [why, b, s] of cases) expect(() => skimBallot(b, s), why).toThrow(DecodeError);
  });
});

describe('skimCredentials', () => {
  it('reads a stored credential list as the decoder does, each key decoded only when read', async () => {
    const poll = await demo('courtyard');
    const entry = [...poll.board.entries()].map((e) => decodeEntry(e.bytes)).find((e) => e.type === 'credentials')!;
    const full = decodePayload('credentials', entry.payload, { shapes: null });
    const light = skimCredentials(entry.payload);
    if (full.type !== 'credentials' || light.type !== 'credentials') throw new Error('not a credentials payload');
    expect(light.listBytes).toEqual(full.listBytes);
    expect(light.signature).toEqual(full.signature);
    expect(light.credentials.map((c) => c.weight)).toEqual(full.credentials.map((c) => c.weight));
    expect(light.credentials.map((c) => encodePoint(c.key))).toEqual(full.credentials.map((c) => encodePoint(c.key)));
  });

  it('refuses what the decoder refuses by layout: a weight of 0, trailing bytes', async () => {
    const poll = await demo('courtyard');
    const entry = [...poll.board.entries()].map((e) => decodeEntry(e.bytes)).find((e) => e.type === 'credentials')!;
    const zeroWeight = entry.payload.slice();
    zeroWeight.set([0, 0, 0, 0], 4 + 32);
    expect(() => skimCredentials(zeroWeight)).toThrow(DecodeError);
    expect(() => skimCredentials(Uint8Array.of(...entry.payload, 0))).toThrow(DecodeError);
  });
});

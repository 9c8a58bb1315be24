/**
 * The trustee's gate before decrypting (spec §B.8): a tally below the privacy floor, a board forked
 * since her key file, a checkpoint not signed by the manifest's log key, or one without k of the
 * manifest's witnesses' cosignatures: each refused, every problem named.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  MemoryNodeStore,
  MerkleTree,
  SIG_TYPE_COSIGNATURE_V1,
  computeTally,
  cosignCheckpoint,
  encodeTally,
  encodeVerifierKey,
  hashLeaf,
  signCheckpoint,
  signerKeyFromSeed,
  verifierKeyOf,
  type SignerKey,
} from '../../bulletin-board/index.ts';
import { checkDecryptionGate, type GateInput } from '../../verifier/index.ts';
import { cast, listVoters, must, randomAnswers, runCeremony, startPoll } from '../board/poll-support.ts';

const witness = (name: string, seed: number): SignerKey => signerKeyFromSeed(name, new Uint8Array(32).fill(seed), SIG_TYPE_COSIGNATURE_V1);
const alice = witness('witness-alice.example', 1);
const stranger = witness('witness-mallory.example', 2);
const vkey = (k: SignerKey) => encodeVerifierKey(verifierKeyOf(k));
const NOW = 1_800_000_000;

/** A poll run to its tally: `voters` listed, `cast` of them cast. */
async function tallied(o: { floor: number; witnesses: SignerKey[]; k: number; voters: number; cast: number; seed: string }) {
  const poll = await startPoll({ seed: o.seed, manifest: { privacyFloor: o.floor, witnesses: { keys: o.witnesses.map(vkey), k: o.k } } });
  await listVoters(poll, o.voters);
  await runCeremony(poll);
  const seenSize = poll.board.size; // what her device replayed when she saved her key file
  await must(poll.board, 'open', new Uint8Array(0));
  for (let i = 0; i < o.cast; i++) await cast(poll, i, randomAnswers(poll.rng));
  await must(poll.board, 'close', new Uint8Array(0));
  const tally = await must(poll.board, 'tally', encodeTally(computeTally(poll.board.state)));
  const tree = new MerkleTree(new MemoryNodeStore());
  for (const e of poll.board.entries(0, poll.board.size)) tree.append(hashLeaf(e.hash));
  const signed = signCheckpoint({ origin: poll.manifest.origin, size: tree.size, rootHash: tree.root(tree.size), extensions: [] }, poll.logKey);
  const input: GateInput = {
    state: poll.board.state,
    tallyHeight: tally.height,
    rootAt: (size) => tree.root(size),
    seen: { size: seenSize, root: tree.root(seenSize) },
    notes: [signed],
  };
  return { poll, input, signed, tree };
}

let honest: Awaited<ReturnType<typeof tallied>>;
beforeAll(async () => {
  honest = await tallied({ floor: 2, witnesses: [alice], k: 1, voters: 3, cast: 3, seed: 'gate honest' });
}, 120_000);

describe('the decryption gate', () => {
  it('opens for a tally at the floor, on a checkpoint of her own replay signed by the log and cosigned by k witnesses', () => {
    const v = checkDecryptionGate({ ...honest.input, notes: [cosignCheckpoint(honest.signed, alice, NOW)] });
    expect(v).toMatchObject({ ok: true, compareAloud: false, checkpoint: { size: honest.tree.size, cosigned: [alice.name] } });
  });

  it('gathers one witness per note, as the server sends them', () => {
    const v = checkDecryptionGate({ ...honest.input, notes: [honest.signed, cosignCheckpoint(honest.signed, alice, NOW)] });
    expect(v.ok).toBe(true);
  });

  it('refuses without k cosignatures of the manifest’s witnesses: a stranger’s valid cosignature does not count', () => {
    const v = checkDecryptionGate({ ...honest.input, notes: [cosignCheckpoint(honest.signed, stranger, NOW)] });
    expect(v).toMatchObject({ ok: false, problems: [{ kind: 'too-few-witnesses', cosigned: [], k: 1 }] });
  });

  it('refuses a checkpoint signed by any key but the manifest’s log key, or one whose root is not her replay’s (a fork)', () => {
    const impostor = signerKeyFromSeed(honest.poll.manifest.origin, new Uint8Array(32).fill(7));
    const other = signCheckpoint({ origin: honest.poll.manifest.origin, size: honest.tree.size, rootHash: honest.tree.root(honest.tree.size), extensions: [] }, impostor);
    const forked = signCheckpoint({ origin: honest.poll.manifest.origin, size: honest.tree.size, rootHash: new Uint8Array(32).fill(3), extensions: [] }, honest.poll.logKey);
    const beforeTally = signCheckpoint({ origin: honest.poll.manifest.origin, size: honest.input.tallyHeight, rootHash: honest.tree.root(honest.input.tallyHeight), extensions: [] }, honest.poll.logKey);
    for (const note of [other, forked, beforeTally]) {
      const v = checkDecryptionGate({ ...honest.input, notes: [cosignCheckpoint(note, alice, NOW)] });
      expect(v).toMatchObject({ ok: false, problems: [{ kind: 'no-signed-checkpoint', tallyHeight: honest.input.tallyHeight }], checkpoint: null });
    }
  });

  it('refuses a board that is not the one her key file remembers: another root at that size, or a shorter board', () => {
    const notes = [cosignCheckpoint(honest.signed, alice, NOW)];
    const forked = checkDecryptionGate({ ...honest.input, notes, seen: { size: honest.input.seen.size, root: new Uint8Array(32).fill(1) } });
    expect(forked).toMatchObject({ ok: false, problems: [{ kind: 'fork-since-key', size: honest.input.seen.size }] });
    const longer = checkDecryptionGate({ ...honest.input, notes, seen: { size: honest.tree.size + 5, root: new Uint8Array(32) } });
    expect(longer).toMatchObject({ ok: false, problems: [{ kind: 'shorter-than-key', seen: honest.tree.size + 5 }] });
  });

  it('refuses a tally below the privacy floor, even on a well-cosigned checkpoint', async () => {
    const few = await tallied({ floor: 3, witnesses: [alice], k: 1, voters: 3, cast: 2, seed: 'gate below floor' });
    const v = checkDecryptionGate({ ...few.input, notes: [cosignCheckpoint(few.signed, alice, NOW)] });
    expect(v).toMatchObject({ ok: false, problems: [{ kind: 'below-floor', counted: 2, floor: 3 }] });
  });

  it('with no witness required (k = 0), opens but asks the trustees to compare the checkpoint aloud', async () => {
    const bare = await tallied({ floor: 1, witnesses: [], k: 0, voters: 2, cast: 1, seed: 'gate no witness' });
    const v = checkDecryptionGate(bare.input);
    expect(v).toMatchObject({ ok: true, compareAloud: true, checkpoint: { size: bare.tree.size, cosigned: [] } });
  });

  it('refuses before the tally', () => {
    const { poll } = honest;
    expect(checkDecryptionGate({ ...honest.input, state: { ...poll.board.state, tally: null } })).toEqual({ ok: false, problems: [{ kind: 'not-tallied' }], checkpoint: null });
  });
});


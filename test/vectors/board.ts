/**
 * Board vectors (spec §B.1, §B.4, §B.6): a tiny whole poll as a record file, the hashes a reader must
 * recompute from it, and one bit flipped in the header's prev and in the payload of each of its entries with
 * the rejection code the rules give at that height.
 */
import * as c from '../../crypto/index.ts';
import {
  Board,
  HEADER_BYTES,
  MemoryStorage,
  applyEntry,
  ceremonyElection,
  computeTally,
  createState,
  encodeAudit,
  registrarPublicKey,
  signCredentialList,
  signRevocation,
  encodeManifest,
  encodeResult,
  encodeExtend,
  encodeTally,
  genesisHash,
  hashManifest,
  encodeVerifierKey,
  parseRecord,
  signReceipt,
  signerKeyFromSeed,
  verifierKeyOf,
  type Manifest,
} from '../../bulletin-board/index.ts';
import { playCeremony } from '../../server/demo/ceremony.ts';

export interface BoardVectors {
  readonly record: string;
  readonly expect: {
    readonly manifestHash: string;
    readonly genesis: string;
    readonly election: string;
    readonly fingerprint: string;
    readonly entryHashes: string[];
    readonly types: string[];
    readonly result: number[];
  };
  /** B.3.11 the receipt of the revote, its checkpoint (the record's last) and inclusion path */
  readonly receipt: {
    readonly logKey: string;
    readonly height: number;
    readonly tracker: string;
    readonly entryHash: string;
    readonly note: string;
    readonly checkpoint: string;
    readonly path: string[];
  };
  /** entry `height` with one bit flipped at byte `offset`: rejected with `code` */
  readonly negatives: { readonly height: number; readonly offset: number; readonly bit: number; readonly code: string }[];
}

function concat(chunks: Iterable<Uint8Array>): Uint8Array {
  const list = [...chunks];
  const out = new Uint8Array(list.reduce((s, x) => s + x.length, 0));
  let at = 0;
  for (const x of list) {
    out.set(x, at);
    at += x.length;
  }
  return out;
}

export async function boardVectors(seed: string): Promise<BoardVectors> {
  const rng = c.seededRandom(seed);
  const verifying = c.seededRandom(`${seed}/batch weights`);
  let now = Date.UTC(2026, 0, 1);
  const pollId = rng(16);
  const origin = `vectors.gongshi.invalid/poll/${c.toHex(pollId)}`;
  const logKey = signerKeyFromSeed(origin, rng(32));
  const registrarSeed = rng(32);
  const manifest: Manifest = {
    pollId,
    origin,
    languages: ['en', 'zh-CN'],
    title: ['Bicycle shed', '自行车棚'],
    description: ['', ''],
    questions: [{ question: { kind: 'single', options: 2, blank: true }, prompt: ['Build it?', '建吗？'], options: [['Yes', '建'], ['No', '不建']] }],
    trustees: { t: 1, n: 1, names: ['Li'] },
    opensAt: 0,
    // B.1.4 a day to vote, which may be extended by a day; closing early is allowed (the close below is early)
    closesAt: Date.UTC(2026, 0, 2),
    maxBallots: 2,
    logKey: encodeVerifierKey(verifierKeyOf(logKey)),
    registrar: { name: 'Registrar Wang', key: registrarPublicKey(registrarSeed), isOrganiser: false },
    witnesses: { keys: [], k: 0 },
    privacyFloor: 2,
    closeEarly: 'any-time',
    maxExtension: 24 * 3600_000,
  };
  const board = await Board.open({ storage: new MemoryStorage(), logKey, clock: () => (now += 1000), rng: verifying });
  const must = async (type: Parameters<Board['submit']>[0], payload: Uint8Array) => {
    const r = await board.submit(type, payload);
    if (!r.ok) throw new Error(`bug: vector ${type} refused: ${r.code} ${r.reason}`);
  };
  const manifestBytes = encodeManifest(manifest);
  await must('manifest', manifestBytes);
  const voters = [0, 1].map(() => c.generateKeyPair(rng));
  await must('credentials', signCredentialList(voters.map((v, i) => ({ key: v.publicKey, weight: i + 1 })), hashManifest(manifestBytes), registrarSeed));
  const { secrets, keyShares } = await playCeremony(board, rng);
  await must('open', new Uint8Array(0));
  await must('extend', encodeExtend(manifest.closesAt + 3600_000)); // B.1.6.9: an hour more
  // B.1.6.1 a voter listed while the poll is open, then B.1.6.10 revoked before she cast (a lost sheet)
  const late = c.generateKeyPair(rng);
  await must('credentials', signCredentialList([{ key: late.publicKey, weight: 1 }], hashManifest(manifestBytes), registrarSeed));
  await must('revoke', signRevocation([late.publicKey], hashManifest(manifestBytes), registrarSeed));
  const e = board.state.election!;
  const shape = { questions: manifest.questions.map((q) => q.question) };
  const ballot = (i: number, values: number[]) => c.createBallot({ shape, key: e.jointKey, fingerprint: e.fingerprint, credential: voters[i], answers: [{ values }] }, rng);
  const audited = ballot(0, [0, 1]);
  await must('audit', encodeAudit(audited.bytes, audited.opening));
  await must('ballot', ballot(0, [1, 0]).bytes);
  await must('ballot', ballot(1, [0, 1]).bytes);
  await must('ballot', ballot(0, [0, 1]).bytes); // a revote: voter 0's last ballot counts
  const revote = board.size - 1;
  await must('close', new Uint8Array(0));
  await must('tally', encodeTally(computeTally(board.state)));
  const shares = c.createDecryptionShares({ fingerprint: e.fingerprint, index: 1, keyShare: keyShares.get(1)!, signing: secrets[0].signing, ciphertexts: board.state.tally!.ciphertexts }, rng);
  await must('decryption', shares.bytes);
  const result = [0, 3, 0]; // yes, no, blank: voter 0 (weight 1, last ballot) and voter 1 (weight 2) said no
  await must('result', encodeResult(result));

  const record = concat(board.exportRecord());
  const { entries } = parseRecord(record);
  const negatives: BoardVectors['negatives'] = [];
  const state = createState();
  for (const [height, bytes] of entries.entries()) {
    // One bit in the header's prev and one at a position in the payload.
    // prev occupies bytes 10–41 of the header (B.1.2)
    const offsets = [10 + (height % 32), ...(bytes.length > HEADER_BYTES ? [HEADER_BYTES + ((height * 7919) % (bytes.length - HEADER_BYTES))] : [])];
    for (const offset of offsets) {
      const bit = (height + offset) % 8;
      const bad = bytes.slice();
      bad[offset] ^= 1 << bit;
      const probe = createState();
      for (const earlier of entries.slice(0, height)) await applyEntry(probe, earlier, { rng: verifying });
      const verdict = await applyEntry(probe, bad, { rng: verifying });
      negatives.push({ height, offset, bit, code: verdict.ok ? 'ACCEPTED' : verdict.code });
    }
    const v = await applyEntry(state, bytes, { rng: verifying });
    if (!v.ok) throw new Error(`bug: the vector record does not replay at ${height}: ${v.code}`);
  }
  const [stored] = board.entries(revote, revote + 1);
  const receipt: BoardVectors['receipt'] = {
    logKey: encodeVerifierKey(verifierKeyOf(logKey)),
    height: revote,
    tracker: c.toHex(stored.tracker!),
    entryHash: c.toHex(stored.hash),
    note: signReceipt({ origin: manifest.origin, type: 'ballot', height: revote, entryHash: stored.hash, tracker: stored.tracker! }, logKey),
    checkpoint: board.latestCheckpoint()!,
    path: board.inclusionProof(revote).path.map((h) => c.toHex(h)),
  };
  return {
    record: c.toHex(record),
    receipt,
    expect: {
      manifestHash: c.toHex(state.manifestHash!),
      genesis: c.toHex(genesisHash(pollId)),
      election: c.toHex(ceremonyElection(hashManifest(encodeManifest(manifest)), 1)),
      fingerprint: c.toHex(state.election!.fingerprint),
      entryHashes: [...board.entries()].map((x) => c.toHex(x.hash)),
      types: [...board.entries()].map((x) => String(x.bytes[0])),
      result,
    },
    negatives,
  };
}

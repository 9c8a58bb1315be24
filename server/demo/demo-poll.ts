/**
 * A complete demo poll in this process, through the same Board and rules the server uses: manifest,
 * credentials, key ceremony, voters (some audit first, some revote), close, tally, t trustees decrypt,
 * result. Deterministic for a seed. What `gongshi demo` and the verifier's bench run.
 */
import {
  createBallot,
  createDecryptionShares,
  decryptTally,
  deriveCredential,
  encodeBallot,
  generateCredentialCode,
  seededRandom,
  toHex,
  type Answer,
  type KeyPair,
  type RandomSource,
  type TrusteeSecrets,
} from '../../crypto/index.ts';
import {
  Board,
  MemoryStorage,
  computeTally,
  encodeAudit,
  encodeVerifierKey,
  hashManifest,
  registrarPublicKey,
  signCredentialList,
  verifierKeyOf,
  encodeManifest,
  encodeResult,
  encodeTally,
  signerKeyFromSeed,
  totalBound,
  type BallotChecker,
  type BoardStorage,
  type EntryTypeName,
  type Manifest,
  type ManifestQuestion,
  type SignerKey,
} from '../../bulletin-board/index.ts';
import { playCeremony } from './ceremony.ts';

export type DemoQuestions = 'courtyard' | 'single-5' | 'single-2' | 'peer';

export interface DemoOptions {
  readonly voters: number;
  readonly trustees: number;
  readonly threshold: number;
  readonly seed: string;
  /**
   * 'courtyard' (single, multiple and budget questions, default), 'single-5' (the bench's one question),
   * 'single-2' (the smallest ballot, for records of many ballots made quickly) or
   * 'peer' (the shape measured side by side with Belenios: exactly 1 of 5, then 0 to 5 of 5)
   */
  readonly questions?: DemoQuestions;
  /** voters who audit a ballot first (every 7th) and who change their mind (every 10th); default true */
  readonly audits?: boolean;
  readonly revotes?: boolean;
  /** where the board lives (default: memory) */
  readonly storage?: BoardStorage;
  /** checks ballots' proofs on other threads as they are appended (default: this thread) */
  readonly ballotChecker?: BallotChecker;
  /** called as voters finish, with (done, total) */
  readonly onProgress?: (done: number, total: number) => void;
}

export interface DemoPoll {
  readonly board: Board;
  readonly manifest: Manifest;
  /** the totals per slot counted in the clear from what each voter cast last */
  readonly plain: readonly number[];
  /** the result entry's totals */
  readonly result: readonly number[];
  readonly ballots: number;
  readonly audits: number;
  /** the secrets the demo played with, for tests that forge entries: the log's signing key, */
  readonly logKey: SignerKey;
  /** every voter's credential key pair, */
  readonly voters: readonly KeyPair[];
  /** and every trustee's secrets and key share */
  readonly trustees: readonly TrusteeSecrets[];
  readonly keyShares: ReadonlyMap<number, bigint>;
}

const bi = (en: string, zh: string) => [en, zh];

/** The demo's questions: the courtyard's three (single with blank, multiple, budget), the bench's one, or the peer's two. */
export function demoQuestions(kind: DemoQuestions): ManifestQuestion[] {
  const five = ['A', 'B', 'C', 'D', 'E'].map((x) => bi(x, x));
  if (kind === 'single-5') return [{ question: { kind: 'single', options: 5 }, prompt: bi('Pick one', '选一项'), options: five }];
  if (kind === 'single-2') return [{ question: { kind: 'single', options: 2 }, prompt: bi('Pick one', '选一项'), options: five.slice(0, 2) }];
  if (kind === 'peer')
    return [
      { question: { kind: 'single', options: 5 }, prompt: bi('Q1: pick exactly one', '问题一：选一项'), options: five },
      { question: { kind: 'multiple', options: 5, min: 0, max: 5 }, prompt: bi('Q2: approval, pick any number', '问题二：可选任意项'), options: five },
    ];
  return [
    {
      question: { kind: 'single', options: 3, blank: true },
      prompt: bi('Which colour for the courtyard gate?', '院门漆成什么颜色？'),
      options: [bi('Red', '红色'), bi('Green', '绿色'), bi('Grey', '灰色')],
    },
    {
      question: { kind: 'multiple', options: 4, min: 1, max: 2 },
      prompt: bi('Which evening classes should the hall offer? (one or two)', '活动室开哪些晚间课程？（选一到两项）'),
      options: [bi('Tai chi', '太极'), bi('Calligraphy', '书法'), bi('English', '英语'), bi('Computers', '电脑')],
    },
    {
      question: { kind: 'budget', costs: [300, 500, 200], budget: 700 },
      prompt: bi('Spend up to ¥700 on (costs in ¥):', '在 700 元以内选择项目（单位：元）：'),
      options: [bi('Benches (300)', '长椅（300）'), bi('Bicycle shed (500)', '自行车棚（500）'), bi('Plants (200)', '绿植（200）')],
    },
  ];
}

/** A random valid answer to each question. */
export function randomAnswers(manifest: Manifest, rng: RandomSource): Answer[] {
  const r = (n: number) => rng(1)[0] % n;
  return manifest.questions.map(({ question: q }): Answer => {
    switch (q.kind) {
      case 'single': {
        if (q.blank && r(10) === 0) return { blank: true };
        const pick = r(q.options);
        return { values: Array.from({ length: q.options }, (_, i) => (i === pick ? 1 : 0)) };
      }
      case 'multiple': {
        const values = Array(q.options).fill(0);
        values[r(q.options)] = 1;
        if (q.max > 1 && r(2) === 0) values[r(q.options)] = 1;
        return { values };
      }
      case 'budget': {
        // Take projects in a random order while they fit.
        const values = q.costs.map(() => 0);
        const order = [...q.costs.keys()];
        for (let i = order.length - 1; i > 0; i--) {
          const j = r(i + 1);
          [order[i], order[j]] = [order[j], order[i]];
        }
        let left = q.budget;
        for (const i of order) {
          if (r(2) === 0 && q.costs[i] <= left) {
            values[i] = 1;
            left -= q.costs[i];
          }
        }
        return { values };
      }
      default:
        throw new Error(`bug: the demo has no answers for ${q.kind}`);
    }
  });
}

/** Slot values of an answer, blank slot last (§Q.4). */
function slotValues(manifest: Manifest, answers: readonly Answer[]): number[] {
  return manifest.questions.flatMap(({ question: q }, i) => {
    const a = answers[i];
    const blank = q.kind !== 'yes-no-abstain' && q.blank === true;
    const values = 'blank' in a ? [...Array(q.kind === 'budget' ? q.costs.length : q.kind === 'yes-no-abstain' ? 3 : q.options).fill(0), 1] : [...a.values];
    return blank && !('blank' in a) ? [...values, 0] : values;
  });
}

/** A demo poll's manifest with the secrets behind its keys: the log's signing key and the registrar's seed. */
export interface DemoSetup {
  readonly manifest: Manifest;
  readonly logKey: SignerKey;
  readonly registrarSeed: Uint8Array;
}

/**
 * The demo's manifest: a fresh poll id, log key and registrar key from `rng`, the chosen questions, n
 * trustees of whom t decrypt, no witness, a privacy floor of 1.
 */
export function demoManifest(rng: RandomSource, o: { readonly questions?: DemoQuestions; readonly trustees: number; readonly threshold: number }): DemoSetup {
  const pollId = rng(16);
  const origin = `demo.gongshi.invalid/poll/${toHex(pollId)}`;
  const logKey = signerKeyFromSeed(origin, rng(32));
  const registrarSeed = rng(32);
  const manifest: Manifest = {
    pollId,
    origin,
    languages: ['en', 'zh-CN'],
    title: bi('Courtyard committee poll (demo)', '院落委员会投票（演示）'),
    description: bi('A demonstration poll with made-up voters.', '用虚构选民进行的演示投票。'),
    questions: demoQuestions(o.questions ?? 'courtyard'),
    trustees: { t: o.threshold, n: o.trustees, names: Array.from({ length: o.trustees }, (_, i) => `Trustee ${i + 1}`) },
    opensAt: 0,
    closesAt: 0,
    maxBallots: 3,
    logKey: encodeVerifierKey(verifierKeyOf(logKey)),
    registrar: { name: 'Demo registrar', key: registrarPublicKey(registrarSeed), isOrganiser: false },
    witnesses: { keys: [], k: 0 },
    privacyFloor: 1,
    closeEarly: 'never',
    maxExtension: 0,
  };
  return { manifest, logKey, registrarSeed };
}

/** Runs the whole poll; throws if the board refuses any honest entry (a bug). */
export async function runDemoPoll(o: DemoOptions): Promise<DemoPoll> {
  const rng = seededRandom(`gongshi demo/${o.seed}`);
  const { manifest, logKey, registrarSeed } = demoManifest(rng, o);
  const pollId = manifest.pollId;
  let now = Date.UTC(2026, 10, 21, 8);
  const board = await Board.open({ storage: o.storage ?? new MemoryStorage(), logKey, rng: seededRandom(`gongshi demo/${o.seed}/batch`), clock: () => (now += 250), ballotChecker: o.ballotChecker });
  const append = async (type: EntryTypeName, payload: Uint8Array) => {
    const r = await board.submit(type, payload);
    if (!r.ok) throw new Error(`bug: the demo board refused its ${type} entry: ${r.code} ${r.reason}`);
  };
  const manifestBytes = encodeManifest(manifest);
  await append('manifest', manifestBytes);
  const voters: KeyPair[] = Array.from({ length: o.voters }, () => deriveCredential(generateCredentialCode(rng), pollId));
  for (let i = 0; i < voters.length; i += 10_000)
    await append('credentials', signCredentialList(voters.slice(i, i + 10_000).map((v) => ({ key: v.publicKey, weight: 1 })), hashManifest(manifestBytes), registrarSeed));
  const { secrets, keyShares } = await playCeremony(board, rng);
  await append('open', new Uint8Array(0));

  const e = board.state.election!;
  const shape = { questions: manifest.questions.map((q) => q.question) };
  const last = new Map<number, Answer[]>();
  let ballots = 0;
  let audits = 0;
  const wave: Promise<void>[] = [];
  for (let i = 0; i < voters.length; i++) {
    const make = (answers: Answer[]) => createBallot({ shape, key: e.jointKey, fingerprint: e.fingerprint, credential: voters[i], answers }, rng);
    if (o.audits !== false && i % 7 === 3) {
      const audited = make(randomAnswers(manifest, rng)); // she checks the device first, then votes
      wave.push(append('audit', encodeAudit(encodeBallot(audited.ballot), audited.opening)));
      audits += 1;
    }
    const times = o.revotes !== false && i % 10 === 5 ? 2 : 1; // every tenth voter changes her mind
    for (let k = 0; k < times; k++) {
      const answers = randomAnswers(manifest, rng);
      wave.push(append('ballot', make(answers).bytes));
      last.set(i, answers);
      ballots += 1;
    }
    if (wave.length >= 32) await Promise.all(wave.splice(0)); // grouped commits, as under load
    o.onProgress?.(i + 1, voters.length);
  }
  await Promise.all(wave);
  await append('close', new Uint8Array(0));
  await append('tally', encodeTally(computeTally(board.state)));

  const result = await decryptOnBoard(board, { secrets, keyShares }, o.threshold, rng);

  const plain: number[] = board.state.shapes!.flatMap((shape) => shape.slotMax.map(() => 0));
  for (const answers of last.values()) slotValues(manifest, answers).forEach((v, s) => (plain[s] += v));
  return { board, manifest, plain, result, ballots, audits, logKey, voters, trustees: secrets, keyShares };
}

/**
 * After the tally entry: the first `t` trustees post their decryption shares (with their DLEQ proofs)
 * and the result they decrypt is appended. Returns the result. Throws if the board refuses an honest
 * entry or the shares do not decrypt (a bug). Spec §T.7, §B.4.7.
 */
export async function decryptOnBoard(board: Board, played: { readonly secrets: readonly TrusteeSecrets[]; readonly keyShares: ReadonlyMap<number, bigint> }, t: number, rng: RandomSource): Promise<number[]> {
  const append = async (type: EntryTypeName, payload: Uint8Array) => {
    const r = await board.submit(type, payload);
    if (!r.ok) throw new Error(`bug: the demo board refused its ${type} entry: ${r.code} ${r.reason}`);
  };
  const e = board.state.election!;
  const tally = board.state.tally!;
  const messages = played.secrets.slice(0, t).map((s) =>
    createDecryptionShares({ fingerprint: e.fingerprint, index: s.index, keyShare: played.keyShares.get(s.index)!, signing: s.signing, ciphertexts: tally.ciphertexts }, rng),
  );
  for (const m of messages) await append('decryption', m.bytes);
  const decrypted = decryptTally({
    fingerprint: e.fingerprint,
    t,
    ciphertexts: tally.ciphertexts,
    verificationKeys: e.verificationKeys,
    signingKeys: e.signingKeys,
    messages,
    bound: totalBound(board.state),
  });
  if (decrypted.result === null) throw new Error(`bug: the demo tally does not decrypt: ${decrypted.failure}`);
  await append('result', encodeResult(decrypted.result));
  return [...decrypted.result];
}

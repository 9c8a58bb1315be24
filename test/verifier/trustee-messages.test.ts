/**
 * A trustee's check of her own messages on the board (verifier/trustee-messages.ts): in an honest
 * 2-of-4 ceremony in which trustee 1 complains once, the board as it stands at every step holds exactly
 * what her device posted. A server that puts an impostor's identity under her index, substitutes a
 * message of any kind, or drops a message it took after the step closed is named, with the step and
 * the SHA-256 of her message and of the board's. A device that posted nothing in the run (a new tab)
 * finds nothing; messages of another run and decryption messages play no part.
 */
import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { add, createTrustee, encryptShare, evaluatePolynomial, seededRandom, type CeremonyRecord, type SharesMessage, type TrusteeMessage } from '../../crypto/index.ts';
import type { BoardState } from '../../bulletin-board/index.ts';
import { checkOwnMessages, trusteeFingerprint, type CeremonyKind, type Discrepancy, type PostedMessage } from '../../verifier/index.ts';
import { ceremony, replaceFrom, resign, type CeremonyRun, type Stage } from '../threshold/support.ts';

type Ceremony = NonNullable<BoardState['ceremony']>;
type Lists = { -readonly [K in keyof CeremonyRecord]: CeremonyRecord[K][number][] };

const HER = 1;
const LISTS = ['identities', 'commits', 'reveals', 'shares', 'complaints', 'finishes'] as const;
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/** Dealer 3 deals trustee 1 f(1) + 1, so that trustee 1's review complains about it. */
async function badShareToHer(stage: Stage, msg: SharesMessage): Promise<SharesMessage> {
  const f = stage.polynomials.get(msg.index)!;
  const shares = [];
  for (const s of msg.shares) {
    shares.push(s.to !== HER ? s : await encryptShare(stage.h, msg.index, HER, add(evaluatePolynomial(f, HER), 1n), stage.identities[HER - 1].encryptionKey, stage.rng));
  }
  return resign(stage, msg, { shares });
}

let run: CeremonyRun;
/** every message trustee 1 posted, in step order, each taken by the server */
let hers: PostedMessage[];

beforeAll(async () => {
  run = await ceremony(2, 4, 'own messages', { shares: (list, stage) => replaceFrom(list, 3, (m) => badShareToHer(stage, m)) });
  hers = LISTS.flatMap((list) => (run.record[list] as readonly TrusteeMessage[]).filter((m) => m.index === HER)).map((m) => ({ bytes: m.bytes, taken: true }));
});

/** The run as the board holds it while `step` is open: the messages of that step and the ones before, changed by `change`. */
function boardAt(step: number, change: (r: Lists) => void = () => {}): Ceremony {
  const record = Object.fromEntries(LISTS.map((list, k) => [list, k < step ? [...run.record[list]] : []])) as unknown as Lists;
  change(record);
  return { run: 1, params: run.params, step, record, outcome: null };
}

/** Her posted messages of the steps up to `step`. */
const postedTo = (step: number) => hers.filter((p) => p.bytes[0] <= step);

const kindsOf = (found: readonly Discrepancy[]) => found.map((d) => `${d.problem} ${d.kind}`);
function discrepancies(c: Ceremony, over: boolean, posted: readonly PostedMessage[]): readonly Discrepancy[] {
  const verdict = checkOwnMessages(c, over, HER, posted);
  return verdict.ok ? [] : verdict.discrepancies;
}
const swap = <K extends (typeof LISTS)[number]>(r: Lists, list: K, m: Lists[K][number]) => {
  r[list] = r[list].map((x) => (x.index === HER ? m : x)) as Lists[K];
};

describe('an honest ceremony', () => {
  it('has trustee 1 complain once, so that every kind of message is hers on the board', () => {
    expect(run.outcome.complete).toBe(true);
    expect(hers.map((p) => p.bytes[0])).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('passes at every step, with what she has posted so far, and once the run is over', () => {
    for (let step = 1; step <= 6; step++) expect(checkOwnMessages(boardAt(step), false, HER, postedTo(step)), `step ${step}`).toEqual({ ok: true });
    expect(checkOwnMessages(boardAt(6), true, HER, hers)).toEqual({ ok: true });
  });

  it('passes while her message of the open step is sent but not yet on the board', () => {
    const c = boardAt(2, (r) => (r.commits = r.commits.filter((m) => m.index !== HER)));
    expect(checkOwnMessages(c, false, HER, postedTo(2))).toEqual({ ok: true });
  });

  it('passes when she posted the same message twice (a reload) and the second was refused', () => {
    const twice = [...postedTo(3), { bytes: hers[0].bytes, taken: false }];
    expect(checkOwnMessages(boardAt(3), false, HER, twice)).toEqual({ ok: true });
  });
});

describe('a device that posted nothing in this run', () => {
  it('finds nothing: it cannot tell her messages from another device’s (the console says it holds no keys)', () => {
    expect(checkOwnMessages(boardAt(6), true, HER, [])).toEqual({ ok: true });
  });

  it('sets aside messages of another run and decryption messages', () => {
    const other = createTrustee({ ...run.params, election: seededRandom('another run')(32) }, HER, seededRandom('another run')).identity;
    expect(checkOwnMessages(boardAt(4), false, HER, [{ bytes: other.bytes, taken: true }])).toEqual({ ok: true });
  });
});

describe('an impostor under her index', () => {
  // What her device made and posted in step 1; the server dropped it and the board holds run's trustee 1, made by the server.
  let own: PostedMessage;
  let ownKey: string;
  beforeAll(() => {
    const made = createTrustee(run.params, HER, seededRandom('her own device')).identity;
    own = { bytes: made.bytes, taken: true };
    ownKey = trusteeFingerprint(made.signingKey);
  });

  it('is named in step 1: the board holds an identity under her index that her device never made, with both key fingerprints', () => {
    const found = discrepancies(boardAt(1), false, [own]);
    const impostor = run.record.identities[0];
    expect(found).toEqual([
      { run: 1, step: 1, kind: 'identity', problem: 'not-hers', mine: [sha(own.bytes)], board: sha(impostor.bytes), keys: { mine: [ownKey], board: trusteeFingerprint(impostor.signingKey) } },
    ]);
  });

  it('is named even if the server refused her identity openly', () => {
    expect(kindsOf(discrepancies(boardAt(1), false, [{ ...own, taken: false }]))).toEqual(['not-hers identity']);
  });

  it('and every later message the impostor signs under her index is named too, once the ceremony is over', () => {
    const found = discrepancies(boardAt(6), true, [own]);
    expect(kindsOf(found)).toEqual(['not-hers identity', 'not-hers commit', 'not-hers reveal', 'not-hers shares', 'not-hers complaint', 'not-hers finish']);
    expect(found.slice(1).every((d) => d.mine.length === 0)).toBe(true);
  });
});

describe('a substituted message', () => {
  // The same content signed again under her key (fresh signature nonce): other bytes, so not the message her device posted.
  const cases: [CeremonyKind, number, (typeof LISTS)[number]][] = [
    ['commit', 2, 'commits'],
    ['reveal', 3, 'reveals'],
    ['shares', 4, 'shares'],
    ['complaint', 5, 'complaints'],
    ['finish', 6, 'finishes'],
  ];
  for (const [kind, step, list] of cases) {
    it(`is named: the board holds a different ${kind} message under her index (step ${step})`, () => {
      const original = (run.record[list] as readonly TrusteeMessage[]).find((m) => m.index === HER)!;
      const other = resign(run, original, {});
      expect(other.bytes).not.toEqual(original.bytes);
      const found = discrepancies(
        boardAt(step, (r) => swap(r, list, other as never)),
        false,
        postedTo(step),
      );
      expect(found).toEqual([{ run: 1, step, kind, problem: 'not-hers', mine: [sha(original.bytes)], board: sha(other.bytes), keys: null }]);
    });
  }

  it('is named when the board holds a complaint of hers she never posted', () => {
    const found = discrepancies(boardAt(5), false, postedTo(4));
    expect(kindsOf(found)).toEqual(['not-hers complaint']);
    expect(found[0].mine).toEqual([]);
  });
});

describe('a dropped message', () => {
  const cases: [CeremonyKind, number, (typeof LISTS)[number]][] = [
    ['identity', 1, 'identities'],
    ['commit', 2, 'commits'],
    ['reveal', 3, 'reveals'],
    ['shares', 4, 'shares'],
    ['complaint', 5, 'complaints'],
  ];
  for (const [kind, step, list] of cases) {
    it(`is named once step ${step} has closed: her ${kind} message, taken by the server, is missing`, () => {
      const drop = (r: Lists) => {
        r[list] = r[list].filter((m) => m.index !== HER) as never;
      };
      expect(checkOwnMessages(boardAt(step, drop), false, HER, postedTo(step)), 'while the step is open').toEqual({ ok: true });
      const found = discrepancies(boardAt(step + 1, drop), false, postedTo(step + 1));
      const mine = hers.find((p) => p.bytes[0] === step)!.bytes;
      const keys = kind === 'identity' ? { mine: [trusteeFingerprint(run.record.identities[0].signingKey)], board: null } : null;
      expect(found).toEqual([{ run: 1, step, kind, problem: 'dropped', mine: [sha(mine)], board: null, keys }]);
    });
  }

  it('is named for her finish only once the run is over (step 6 closes with the key entry)', () => {
    const drop = (r: Lists) => (r.finishes = r.finishes.filter((m) => m.index !== HER));
    expect(checkOwnMessages(boardAt(6, drop), false, HER, hers)).toEqual({ ok: true });
    expect(kindsOf(discrepancies(boardAt(6, drop), true, hers))).toEqual(['dropped finish']);
  });

  it('is not named when the server refused it openly (she is then left out, not impersonated)', () => {
    const refused = postedTo(2).map((p) => (p.bytes[0] === 2 ? { ...p, taken: false } : p));
    const c = boardAt(3, (r) => {
      r.commits = r.commits.filter((m) => m.index !== HER);
      r.reveals = r.reveals.filter((m) => m.index !== HER);
    });
    expect(checkOwnMessages(c, false, HER, refused)).toEqual({ ok: true });
  });
});

describe('bytes her device could not have posted', () => {
  it('are a bug of ours, not a finding', () => {
    expect(() => checkOwnMessages(boardAt(1), false, HER, [{ bytes: new Uint8Array([1, 2, 3]), taken: true }])).toThrow(/^bug: /);
    expect(() => checkOwnMessages(boardAt(1), false, 2, hers)).toThrow(/^bug: this device posted a message of trustee 1/);
  });
});

/**
 * The trustee console's turn in step 1 (client/src/trustee/ceremony-turn.ts), without a browser: a
 * tab that posted her identity and finds another one under her index raises the alarm (never "lost")
 * and makes nothing; a tab that posted nothing in the run (a new device) is "lost"; the tab whose
 * identity is on the board waits; and the same tab after a reload (secrets and posted messages read
 * back from what it keeps) does the same.
 */
import { describe, expect, test } from 'vitest';
import { createTrustee, seededRandom, type IdentityMessage } from '../../crypto/index.ts';
import { createState, type BoardState } from '../../bulletin-board/index.ts';
import { takeTurn } from '../../client/src/trustee/ceremony-turn.ts';
import { restoreSecrets, saveSecrets, type RunSecrets } from '../../client/src/trustee/saved-secrets.ts';

const rng = seededRandom('ceremony turn');
const params = { election: rng(32), t: 2, n: 3 };

/** The board in step 1 of run 1, holding these identities. */
function stepOne(identities: IdentityMessage[]): BoardState {
  const state = createState();
  state.phase = 'ceremony';
  state.ceremony = { run: 1, params, step: 1, record: { identities, commits: [], reveals: [], shares: [], complaints: [], finishes: [] }, outcome: null };
  return state;
}

const own = createTrustee(params, 1, rng);
const held: RunSecrets = { secrets: own.secrets, identity: own.identity.bytes };
const impostor = createTrustee(params, 1, rng).identity;

describe('step 1 of the ceremony', () => {
  test('with another identity under her index than the one this tab posted: the alarm, and no message', async () => {
    const turn = await takeTurn(stepOne([impostor]), 1, held, [{ bytes: own.identity.bytes, taken: true }]);
    expect(turn.action.kind).toBe('alarm');
    if (turn.action.kind !== 'alarm') return;
    expect(turn.action.discrepancies.map((d) => `${d.problem} ${d.kind}`)).toEqual(['not-hers identity']);
    // Even a tab whose secrets are gone (storage failed) says alarm, not lost, once it has posted.
    expect((await takeTurn(stepOne([impostor]), 1, null, [{ bytes: own.identity.bytes, taken: false }])).action.kind).toBe('alarm');
  });

  test('in a tab that posted nothing in this run: lost, as before', async () => {
    expect((await takeTurn(stepOne([impostor]), 1, null, [])).action.kind).toBe('lost');
  });

  test('with her own identity on the board: nothing to do, also after a reload of the tab', async () => {
    const posted = [{ bytes: own.identity.bytes, taken: true }];
    expect((await takeTurn(stepOne([own.identity]), 1, held, posted)).action.kind).toBe('none');
    const reloaded = restoreSecrets(JSON.parse(JSON.stringify(saveSecrets(held))));
    expect((await takeTurn(stepOne([own.identity]), 1, reloaded, posted)).action.kind).toBe('none');
  });

  test('with no identity of hers yet: posts the one this tab made', async () => {
    const turn = await takeTurn(stepOne([]), 1, held, []);
    expect(turn.action.kind).toBe('post');
    if (turn.action.kind === 'post') expect(turn.action.messages).toEqual([own.identity.bytes]);
  });
});

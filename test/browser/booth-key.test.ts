/**
 * Attack: a server that hands the booth an election key of its own (one it could decrypt alone)
 * in its JSON. The booth replays the board up to the key entry and refuses to seal: the voter is
 * told in words, and nothing reaches the board. With the honest answer the same booth goes on.
 */
import { describe, expect, test } from 'vitest';
import { encodePoint, generateKeyPair, seededRandom, toHex } from '../../crypto/index.ts';
import { booth } from '../../client/src/i18n/booth.ts';
import { openPoll } from '../server/support.ts';
import { PHONE, browserAndSite, openTab, screenshot } from './support.ts';

const web = browserAndSite();

describe('the booth trusts the board, not the server, for the election key', () => {
  test('a substituted key in the poll detail is refused before anything is sealed; the honest key is accepted', async () => {
    const { owner, poll, voters } = await openPoll(web.site, { voters: 1, seed: 'booth key attack' });
    const sizeBefore = (await owner.get(`/api/polls/${poll}/checkpoint`)).body.size;
    const rogue = toHex(encodePoint(generateKeyPair(seededRandom('the server’s own key')).publicKey));

    const { page, problems, context } = await openTab(web.browser, web.site.base, { viewport: PHONE, locale: 'en-GB' });
    await page.route(`**/api/polls/${poll}`, async (route) => {
      const answer = await route.fetch();
      const body = await answer.json();
      body.election.jointKey = rogue;
      await route.fulfill({ response: answer, json: body });
    });
    await page.goto(`/poll/${poll}/vote#${voters[0].code}`);
    await page.getByRole('alert').filter({ hasText: booth.en['booth.keyNotOnBoard'] }).waitFor();
    expect(await page.getByRole('textbox', { name: 'Voter code' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Start voting' }).count()).toBe(0);
    await screenshot(page, 'booth-key-not-on-board-en-phone');
    expect((await owner.get(`/api/polls/${poll}/checkpoint`)).body.size).toBe(sizeBefore);

    await page.unroute(`**/api/polls/${poll}`);
    await page.getByRole('button', { name: 'Try again' }).click();
    await page.getByRole('button', { name: 'Start voting' }).waitFor();
    expect(problems).toEqual([]);
    await context.close();
  });
});

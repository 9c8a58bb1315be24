/**
 * Attacks by a server on the booth, through its JSON: an election key of its own (one it could
 * decrypt alone), option labels swapped (so that "Red" is sealed into the "Green" slot), or another
 * poll's board whose trustees it runs. The booth replays the board up to the key entry and refuses
 * to seal: the voter is told in words, and nothing reaches the board. With the honest answers the
 * same booth goes on.
 */
import { describe, expect, test } from 'vitest';
import { encodePoint, generateKeyPair, seededRandom, toHex } from '../../crypto/index.ts';
import { decodeManifest, encodeManifest } from '../../bulletin-board/index.ts';
import { booth } from '../../client/src/i18n/booth.ts';
import { b64, openPoll, unb64 } from '../server/support.ts';
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

  test('swapped option labels in the poll detail are refused before anything is sealed', async () => {
    const { owner, poll, voters } = await openPoll(web.site, { voters: 1, seed: 'booth label attack' });
    const sizeBefore = (await owner.get(`/api/polls/${poll}/checkpoint`)).body.size;
    const { page, problems, context } = await openTab(web.browser, web.site.base, { viewport: PHONE, locale: 'en-GB' });
    await page.route(`**/api/polls/${poll}`, async (route) => {
      const answer = await route.fetch();
      const body = await answer.json();
      const m = decodeManifest(unb64(body.manifest));
      const [red, green, ...rest] = m.questions[0].options;
      const swapped = { ...m, questions: [{ ...m.questions[0], options: [green, red, ...rest] }, ...m.questions.slice(1)] };
      body.manifest = b64(encodeManifest(swapped));
      await route.fulfill({ response: answer, json: body });
    });
    await page.goto(`/poll/${poll}/vote#${voters[0].code}`);
    await page.getByRole('alert').filter({ hasText: booth.en['booth.keyNotOnBoard'] }).waitFor();
    expect(await page.getByRole('button', { name: 'Start voting' }).count()).toBe(0);
    expect((await owner.get(`/api/polls/${poll}/checkpoint`)).body.size).toBe(sizeBefore);
    expect(problems).toEqual([]);
    await context.close();
  });

  test('another poll’s board with its own key, served as this poll’s, is refused', async () => {
    const { owner, poll, voters } = await openPoll(web.site, { voters: 1, seed: 'booth board attack' });
    const other = await openPoll(web.site, { voters: 1, seed: 'the server’s own poll' });
    const sizeBefore = (await owner.get(`/api/polls/${poll}/checkpoint`)).body.size;
    const otherElection = (await owner.get(`/api/polls/${other.poll}`)).body.election;
    const { page, problems, context } = await openTab(web.browser, web.site.base, { viewport: PHONE, locale: 'en-GB' });
    let served = 0;
    await page.route(`**/api/polls/${poll}/entries?**`, (route) => {
      served++;
      return route.continue({ url: route.request().url().replace(poll, other.poll) });
    });
    await page.route(`**/api/polls/${poll}`, async (route) => {
      const answer = await route.fetch();
      const body = await answer.json();
      body.election = otherElection;
      await route.fulfill({ response: answer, json: body });
    });
    await page.goto(`/poll/${poll}/vote#${voters[0].code}`);
    await page.getByRole('alert').filter({ hasText: booth.en['booth.keyNotOnBoard'] }).waitFor();
    expect(served).toBeGreaterThan(0); // the booth did read the other poll's board, and saw whose it was
    expect(await page.getByRole('button', { name: 'Start voting' }).count()).toBe(0);
    expect((await owner.get(`/api/polls/${poll}/checkpoint`)).body.size).toBe(sizeBefore);
    expect(problems).toEqual([]);
    await context.close();
  });
});

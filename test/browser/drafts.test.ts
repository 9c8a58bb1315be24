/**
 * Polls over the years, in the organiser's console: a draft deleted through the dialog that names it
 * (and what her device kept for it forgotten), a draft duplicated and a finished poll made into a new
 * draft (the editor filled from the manifest, a fresh registrar key), a finished poll hidden from the
 * front page and still served at its address, then shown again. In English and Chinese, on a phone
 * and a desktop, with axe, missing keys and the console checked on each screen.
 */
import { describe, expect, test } from 'vitest';
import { ORGANISER, courtyardDraft, organiser, type Client } from '../server/support.ts';
import { finishedPoll } from './finished-poll.ts';
import { DESKTOP, PHONE, browserAndSite, expectClean, openTab, screenshot, settle, type Tab } from './support.ts';

const web = browserAndSite();

async function signedIn(lang: 'en' | 'zh', viewport = DESKTOP): Promise<Tab> {
  const tab = await openTab(web.browser, web.site.base, { locale: lang === 'en' ? 'en-GB' : 'zh-CN', viewport });
  const { page } = tab;
  await page.goto('/organiser');
  await page.getByLabel(lang === 'en' ? 'Name' : '名字', { exact: true }).fill(ORGANISER.name);
  await page.getByLabel(lang === 'en' ? 'Password' : '密码', { exact: true }).fill(ORGANISER.password);
  await page.getByRole('button', { name: lang === 'en' ? 'Sign in' : '登录', exact: true }).click();
  await page.getByRole('heading', { name: lang === 'en' ? 'Your polls' : '我的投票', exact: true }).waitFor();
  await settle(page);
  return tab;
}

async function draftTitled(owner: Client, en: string, zh: string): Promise<string> {
  const r = await owner.post('/api/polls', { draft: { ...courtyardDraft(), title: [en, zh] } });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body.id;
}

/** A button's name: its words, then the poll's title (read out by screen readers, not shown). */
const named = (action: string, title: string): RegExp => new RegExp(`^${esc(action)}\\s*:\\s*${esc(title)}$`);
const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const frontPage = async (): Promise<string[]> => ((await (await fetch(`${web.site.base}/api/polls`)).json()).polls as { id: string }[]).map((p) => p.id);

describe('drafts: delete and duplicate', () => {
  test('deletes a draft through the dialog naming it, and duplicates another into the editor (English, desktop; Chinese, phone)', async () => {
    const owner = await organiser(web.site);
    const keep = await draftTitled(owner, 'Bicycle shed rules', '车棚规定');
    const gone = await draftTitled(owner, 'Old lift survey', '旧电梯调查');
    const tab = await signedIn('en');
    const { page } = tab;
    await page.evaluate((p) => localStorage.setItem(`gongshi.registrar.${p}`, '11'.repeat(32)), gone);

    await page.getByRole('button', { name: named('Delete', 'Old lift survey') }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete the draft “Old lift survey”?' });
    await dialog.waitFor();
    await screenshot(page, 'drafts-delete-dialog-en');
    await expectClean(page, tab.problems);
    await dialog.getByRole('button', { name: 'Delete the draft', exact: true }).click();
    await page.getByRole('status').getByText('The draft “Old lift survey” is deleted.').waitFor();
    expect(await page.getByRole('link', { name: 'Old lift survey' }).count()).toBe(0);
    expect((await owner.get(`/api/polls/${gone}`)).status).toBe(404);
    expect(await page.evaluate((p) => localStorage.getItem(`gongshi.registrar.${p}`), gone)).toBeNull();

    // Cancel deletes nothing.
    await page.getByRole('button', { name: named('Delete', 'Bicycle shed rules') }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel', exact: true }).click();
    expect((await owner.get(`/api/polls/${keep}`)).status).toBe(200);

    await page.getByRole('button', { name: named('Duplicate', 'Bicycle shed rules') }).click();
    await page.getByRole('heading', { name: 'Edit the poll', exact: true }).waitFor();
    await page.getByText('This is a new draft, copied', { exact: false }).waitFor();
    const copy = page.url().match(/\/organiser\/polls\/([0-9a-f]{32})\/edit$/)![1];
    expect(copy).not.toBe(keep);
    expect(await page.locator('#f-title-en').inputValue()).toBe('Bicycle shed rules (copy)');
    expect(await page.locator('#f-title-zh-CN').inputValue()).toBe('车棚规定（副本）');
    expect(await page.locator('#f-questions-0-prompt-en').inputValue()).toBe('Gate colour?');
    await settle(page);
    await expectClean(page, tab.problems);
    await screenshot(page, 'drafts-duplicate-editor-en');
    // Her registrar key for the copy was made here, not the source's.
    const source = (await owner.get(`/api/polls/${keep}`)).body.draft.registrar.key;
    const made = (await owner.get(`/api/polls/${copy}`)).body.draft.registrar.key;
    expect(made).not.toBe(source);
    expect(await page.evaluate((p) => localStorage.getItem(`gongshi.registrar.${p}`), copy)).toMatch(/^[0-9a-f]{64}$/);
    await tab.context.close();

    // In Chinese, on a phone: the dialog and the draft's own page.
    const zh = await signedIn('zh', PHONE);
    await zh.page.goto(`/organiser/polls/${copy}`);
    await settle(zh.page);
    await zh.page.getByRole('heading', { name: '管理此投票', exact: true }).waitFor();
    await screenshot(zh.page, 'drafts-poll-home-manage-zh-phone');
    await zh.page.getByRole('button', { name: named('删除', '车棚规定（副本）') }).click();
    const zhDialog = zh.page.getByRole('dialog', { name: '删除草稿“车棚规定（副本）”？' });
    await zhDialog.waitFor();
    await screenshot(zh.page, 'drafts-delete-dialog-zh-phone');
    await expectClean(zh.page, zh.problems);
    await zhDialog.getByRole('button', { name: '删除草稿', exact: true }).click();
    await zh.page.getByRole('heading', { name: '我的投票', exact: true }).waitFor();
    expect((await owner.get(`/api/polls/${copy}`)).status).toBe(404);
    await zh.context.close();
  });
});

describe('finished polls: a new poll from one, hidden from the front page', () => {
  test('starts a new poll from a finished one, hides it (gone from the front page, still at its address), shows it again (Chinese, phone; English, desktop)', async () => {
    const poll = await finishedPoll(web.site, { en: 'Courtyard vote 2025', zh: '2025 年院落投票', weights: [1, 1, 1] });
    const owner = await organiser(web.site);
    const tab = await signedIn('zh', PHONE);
    const { page } = tab;
    await screenshot(page, 'drafts-my-polls-zh-phone');
    await expectClean(page, tab.problems);

    await page.getByRole('button', { name: named('以此新建投票', '2025 年院落投票') }).click();
    await page.getByText('这是一份新草稿', { exact: false }).waitFor();
    const copy = page.url().match(/\/organiser\/polls\/([0-9a-f]{32})\/edit$/)![1];
    await settle(page);
    // The form is filled from the manifest: titles marked, every question and option, the trustees.
    expect(await page.locator('#f-title-zh-CN').inputValue()).toBe('2025 年院落投票（副本）');
    expect(await page.locator('#f-title-en').inputValue()).toBe('Courtyard vote 2025 (copy)');
    const manifest = (await owner.get(`/api/polls/${poll}`)).body.draft;
    for (const [i, q] of manifest.questions.entries()) {
      expect(await page.locator(`#f-questions-${i}-prompt-zh-CN`).inputValue()).toBe(q.prompt[1]);
      expect(await page.locator(`#f-questions-${i}-prompt-en`).inputValue()).toBe(q.prompt[0]);
    }
    for (const [i, name] of manifest.trustees.names.entries()) expect(await page.locator(`#f-trustees-names-${i}-`).inputValue()).toBe(name);
    await expectClean(page, tab.problems);
    await screenshot(page, 'drafts-new-from-finished-editor-zh-phone');
    await page.getByRole('button', { name: '保存草稿', exact: true }).click();
    await page.getByText('修改已保存。', { exact: true }).waitFor();
    expect((await owner.get(`/api/polls/${copy}`)).body.draft.questions).toEqual(manifest.questions);

    await page.goto('/organiser');
    await settle(page);
    expect(await frontPage()).toContain(poll);
    await page.getByRole('button', { name: named('从首页隐藏', '2025 年院落投票') }).click();
    await page.getByRole('status').getByText('已不在首页显示', { exact: false }).waitFor();
    const folded = page.locator('details.hidden-polls');
    await folded.getByText('已隐藏的投票（1）', { exact: true }).click();
    await folded.getByRole('button', { name: named('在首页显示', '2025 年院落投票') }).waitFor();
    await expectClean(page, tab.problems);
    await screenshot(page, 'drafts-hidden-polls-zh-phone');
    expect(await frontPage()).not.toContain(poll);

    // The front page no longer lists it; its address, board and results still answer.
    await page.goto('/');
    await settle(page);
    expect(await page.getByRole('link', { name: '2025 年院落投票', exact: true }).count()).toBe(0);
    await screenshot(page, 'drafts-front-page-without-hidden-zh-phone');
    await page.goto(`/poll/${poll}`);
    await page.getByRole('heading', { name: '2025 年院落投票', exact: true }).waitFor();
    await settle(page);
    await screenshot(page, 'drafts-hidden-poll-page-zh-phone');
    await expectClean(page, tab.problems);
    const record = await fetch(`${web.site.base}/api/polls/${poll}/record`);
    expect(record.status).toBe(200);
    await tab.context.close();

    // In English, on a desktop: shown again.
    const en = await signedIn('en');
    await en.page.getByText('Hidden polls (1)', { exact: true }).click();
    await screenshot(en.page, 'drafts-hidden-polls-en');
    await expectClean(en.page, en.problems);
    await en.page.getByRole('button', { name: named('Show on the front page', 'Courtyard vote 2025') }).click();
    await en.page.getByRole('status').getByText('is on the front page again', { exact: false }).waitFor();
    await en.page.getByRole('button', { name: named('Hide from the front page', 'Courtyard vote 2025') }).waitFor();
    expect(await en.page.getByText('Hidden polls', { exact: false }).count()).toBe(0);
    expect(await frontPage()).toContain(poll);
    await en.page.goto('/');
    await en.page.getByRole('link', { name: 'Courtyard vote 2025', exact: true }).waitFor();
    // Its own page offers a new poll from it, and no delete.
    await en.page.goto(`/organiser/polls/${poll}`);
    await en.page.getByRole('heading', { name: 'This poll over time', exact: true }).waitFor();
    await settle(en.page);
    await en.page.getByRole('button', { name: named('New poll from this one', 'Courtyard vote 2025') }).waitFor();
    expect(await en.page.getByRole('button', { name: /^Delete/ }).count()).toBe(0);
    await expectClean(en.page, en.problems);
    await screenshot(en.page, 'drafts-poll-home-finished-en');
    await en.context.close();
  });
});

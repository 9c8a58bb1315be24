/**
 * `gongshi bench --ballots N --browser`: the in-browser verifier — the site's "Verify a poll yourself"
 * page, its verifier Web Worker and proof workers — on the N-ballot bench record, in headless Chromium
 * (Debian's /usr/bin/chromium, or $CHROMIUM) driven by playwright-core (a development dependency). It
 * reports the time to the verdict and the peak memory of Chromium's processes, sampled from /proc every
 * 250 ms: the largest single process (the page's renderer, which runs the workers as threads) and the
 * sum over all of them (pages shared between processes counted in each).
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { createApp } from '../app.ts';

export interface BrowserFigures {
  browser_verify_ballots: number;
  browser_verify_s: number;
  browser_verify_valid: boolean;
  browser_peak_process_mb: number;
  browser_peak_all_mb: number;
}

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];

/** Resident memory (KiB) of every descendant of this process, by pid. */
function descendantsRss(): Map<number, number> {
  const parent = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      parent.set(Number(name), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // the process ended while we looked
    }
  }
  const mine = new Set([process.pid]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [pid, ppid] of parent) if (!mine.has(pid) && mine.has(ppid)) (mine.add(pid), (grew = true));
  }
  const out = new Map<number, number>();
  for (const pid of mine) {
    if (pid === process.pid) continue;
    try {
      const rss = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (rss) out.set(pid, Number(rss[1]));
    } catch {
      // ended
    }
  }
  return out;
}

export async function benchBrowser(ballots: number, record: string): Promise<BrowserFigures> {
  let chromium: typeof import('playwright-core').chromium;
  try {
    ({ chromium } = await import('playwright-core'));
  } catch {
    throw new Error('--browser needs the development dependencies (playwright-core): run npm ci');
  }
  const executablePath = process.env.CHROMIUM ?? '/usr/bin/chromium';
  if (!existsSync(executablePath)) throw new Error(`--browser needs Chromium at ${executablePath}: apt-get install -y chromium, or set CHROMIUM`);
  // The client is built afresh from this code (a kept dist/ may be another version's, whose verifier
  // would read this record as another protocol's).
  const dataDir = mkdtempSync(join(tmpdir(), 'gongshi-bench-browser-'));
  const clientDir = join(dataDir, 'client');
  process.stderr.write('building the client…\n');
  const { build } = await import('vite');
  await build({ configFile: `${ROOT}vite.config.ts`, logLevel: 'warn', build: { outDir: clientDir, emptyOutDir: true } });
  const app = await createApp({ clientDir, dataDir, logger: pino({ level: 'silent' }), proofWorkers: 0 });
  await new Promise<void>((done) => app.http.listen(0, '127.0.0.1', done));
  const base = `http://127.0.0.1:${(app.http.address() as AddressInfo).port}`;
  const browser = await chromium.launch({ executablePath, args: FLAGS });
  let peakProcess = 0;
  let peakAll = 0;
  const sample = () => {
    const rss = [...descendantsRss().values()];
    peakProcess = Math.max(peakProcess, ...rss);
    peakAll = Math.max(peakAll, rss.reduce((a, b) => a + b, 0));
  };
  const timer = setInterval(sample, 250);
  try {
    const page = await browser.newPage();
    await page.goto(`${base}/verify`);
    await page.locator('#verify-file').setInputFiles(record);
    process.stderr.write(`verifying the ${ballots}-ballot record in Chromium…\n`);
    const t0 = performance.now();
    await page.getByRole('button', { name: 'Verify the file' }).click();
    const verdict = page.locator('#report-heading');
    await verdict.waitFor({ timeout: 6 * 60 * 60 * 1000 });
    const seconds = (performance.now() - t0) / 1000;
    sample();
    const valid = (await verdict.getAttribute('class'))?.includes('good') === true;
    if (!valid) process.stderr.write(`the page's report:\n${(await page.locator('main').innerText()).slice(0, 2000)}\n`);
    return {
      browser_verify_ballots: ballots,
      browser_verify_s: Math.round(seconds * 10) / 10,
      browser_verify_valid: valid,
      browser_peak_process_mb: Math.round(peakProcess / 1024),
      browser_peak_all_mb: Math.round(peakAll / 1024),
    };
  } finally {
    clearInterval(timer);
    await browser.close();
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * The ristretto255 codec's WebAssembly (crypto/wasm/field25519.wat) in a real browser under the site's
 * own Content Security Policy: 'wasm-unsafe-eval' lets a script of the site compile it, and it decodes
 * as Node does; JavaScript eval and new Function stay refused. (Under a CSP without it, the codec falls
 * back to BigInt: test/unit/ristretto-wasm.test.ts.)
 */
import type { EdwardsPoint } from '@noble/curves/abstract/edwards.js';
import { describe, expect, test } from 'vitest';
import { fromHex } from '../../crypto/index.ts';
import { decodeRistrettoBigInt } from '../../crypto/ristretto-bigint.ts';
import { FIELD25519_WASM_BASE64 } from '../../crypto/wasm/field25519-wasm.ts';
import { MULTIPLES } from '../vectors/rfc9496-ristretto255.ts';
import { browserAndSite, openTab } from './support.ts';

const web = browserAndSite();

/**
 * A script as the site would serve it (same origin, so the page's CSP applies to what it does, unlike
 * code run through DevTools): it compiles the module, decodes each encoding, then tries eval and
 * new Function. Results go to window.probe.
 */
function probeScript(encodings: string[]): string {
  return `
const bin = atob(${JSON.stringify(FIELD25519_WASM_BASE64)});
const bytes = new Uint8Array(bin.length);
for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
const attempt = (f) => { try { return 'ran: ' + f(); } catch (e) { return e.name; } };
let decoded;
try {
  const w = new WebAssembly.Instance(new WebAssembly.Module(bytes), {}).exports;
  const memory = new Uint8Array(w.memory.buffer);
  const hex = (from) => Array.from(memory.subarray(from, from + 96), (b) => b.toString(16).padStart(2, '0')).join('');
  decoded = ${JSON.stringify(encodings)}.map((e) => {
    memory.set(e.match(/../g).map((h) => parseInt(h, 16)), 0);
    return w.decode() === 1 ? hex(128) : null;
  });
} catch (e) {
  decoded = e.name + ': ' + e.message;
}
window.probe = { decoded, eval: attempt(() => (0, eval)('1 + 1')), newFunction: attempt(() => new Function('return 2')()) };
`;
}

function le32(x: bigint): string {
  let s = '';
  for (let i = 0; i < 32; i++) s += Number((x >> BigInt(8 * i)) & 0xffn).toString(16).padStart(2, '0');
  return s;
}

describe('WebAssembly under the site’s CSP', () => {
  test('a site script compiles the codec module and decodes 1·G … 15·G (RFC 9496 A.1) to the reference coordinates; eval and new Function stay refused', async () => {
    const encodings = MULTIPLES.slice(1);
    const { page, context } = await openTab(web.browser, web.site.base);
    await page.route('**/wasm-probe.js', (route) => route.fulfill({ contentType: 'text/javascript', body: probeScript(encodings) }));
    await page.goto('/');
    await page.evaluate(() => {
      const s = document.createElement('script');
      s.src = '/wasm-probe.js';
      document.head.append(s);
    });
    await page.waitForFunction(() => 'probe' in window);
    const probe = (await page.evaluate(() => (window as unknown as { probe: unknown }).probe)) as { decoded: unknown; eval: string; newFunction: string };
    const expected = encodings.map((hex) => {
      const { X, Y, T } = (decodeRistrettoBigInt(fromHex(hex, 'P')) as unknown as { ep: EdwardsPoint }).ep;
      return le32(X) + le32(Y) + le32(T);
    });
    expect(probe.decoded).toEqual(expected);
    expect([probe.eval, probe.newFunction]).toEqual(['EvalError', 'EvalError']);
    await context.close();
  });
});

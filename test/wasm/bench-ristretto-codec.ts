/**
 * Measures ristretto255 decoding and encoding (spec §G.2.1): the BigInt reference against the
 * WebAssembly codec, in alternating rounds on the same points, and what the WebAssembly path spends
 * outside the module (coordinates to BigInt, the point object). Prints medians of CPU time per
 * operation (process.cpuUsage, less disturbed than wall time on a shared machine) and of wall time.
 *   node --import tsx test/wasm/bench-ristretto-codec.ts [rounds, default 15]
 */
import { ed25519 } from '@noble/curves/ed25519.js';
import { G, mulPublic, randomScalar, seededRandom, type Point } from '../../crypto/index.ts';
import { RistrettoPoint } from '../../crypto/group.ts';
import { decodeRistrettoBigInt, encodeRistrettoBigInt } from '../../crypto/ristretto-bigint.ts';
import { decodeRistretto, encodeRistretto, ristrettoEngine } from '../../crypto/ristretto-codec.ts';
import { FIELD25519_WASM_BASE64 } from '../../crypto/wasm/field25519-wasm.ts';

const rounds = Number(process.argv[2] ?? 15);
const COUNT = 2000;
const rng = seededRandom('bench ristretto codec');
// Points as the verifier meets them: sums with projective Z ≠ 1 for encoding, their bytes for decoding.
const step = mulPublic(G, randomScalar(rng));
const points: Point[] = [];
for (let Q = mulPublic(G, randomScalar(rng)); points.length < COUNT; Q = Q.add(step)) points.push(Q);
const encodings = points.map((Q) => Q.toBytes());

// The module alone, to split the WebAssembly decode into the call and the conversion to BigInt.
const raw = new WebAssembly.Instance(new WebAssembly.Module(Buffer.from(FIELD25519_WASM_BASE64, 'base64')), {}).exports as unknown as {
  memory: WebAssembly.Memory;
  decode(): number;
};
const rawBytes = new Uint8Array(raw.memory.buffer);
const rawWords = new BigUint64Array(raw.memory.buffer);
const word256 = (i: number) => rawWords[i] | (rawWords[i + 1] << 64n) | (rawWords[i + 2] << 128n) | (rawWords[i + 3] << 192n);

let sink = 0;
const cases: [string, () => void][] = [
  ['decode, BigInt reference', () => encodings.forEach((b) => (sink ^= decodeRistrettoBigInt(b) === null ? 1 : 0))],
  [`decode, decodeRistretto (${ristrettoEngine})`, () => encodings.forEach((b) => (sink ^= decodeRistretto(b) === null ? 1 : 0))],
  ['  of which: the module call alone', () => encodings.forEach((b) => (rawBytes.set(b, 0), (sink ^= raw.decode())))],
  ['  the call + x, y, t to BigInt', () => encodings.forEach((b) => (rawBytes.set(b, 0), raw.decode(), (sink ^= Number((word256(16) ^ word256(20) ^ word256(24)) & 1n))))],
  ['  the call + BigInt + the point', () => encodings.forEach((b) => (rawBytes.set(b, 0), raw.decode(), (sink ^= new RistrettoPoint(new ed25519.Point(word256(16), word256(20), 1n, word256(24))).is0() ? 1 : 0)))],
  ['encode, BigInt reference', () => points.forEach((Q) => (sink ^= encodeRistrettoBigInt(Q)[0]))],
  [`encode, encodeRistretto (${ristrettoEngine})`, () => points.forEach((Q) => (sink ^= encodeRistretto(Q)[0]))],
];

const cpu = new Map<string, number[]>();
const wall = new Map<string, number[]>();
for (const [, run] of cases) run(); // warm-up: JIT
for (let r = 0; r < rounds; r++) {
  for (const [name, run] of cases) {
    const c0 = process.cpuUsage();
    const w0 = performance.now();
    run();
    const w = (performance.now() - w0) * 1000;
    const c = process.cpuUsage(c0);
    cpu.set(name, [...(cpu.get(name) ?? []), (c.user + c.system) / COUNT]);
    wall.set(name, [...(wall.get(name) ?? []), w / COUNT]);
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
process.stdout.write(`ristretto255 codec, ${COUNT} points, median of ${rounds} alternating rounds, ${process.version}\n`);
process.stdout.write(`${'µs per point'.padEnd(40)} ${'cpu'.padStart(8)} ${'wall'.padStart(8)}\n`);
for (const [name] of cases) process.stdout.write(`${name.padEnd(40)} ${median(cpu.get(name)!).toFixed(2).padStart(8)} ${median(wall.get(name)!).toFixed(2).padStart(8)}\n`);
const ratio = (a: string, b: string) => (median(cpu.get(a)!) / median(cpu.get(b)!)).toFixed(1);
process.stdout.write(`speed-up (cpu): decode ${ratio(cases[0][0], cases[1][0])}×, encode ${ratio(cases[5][0], cases[6][0])}×\n`);

/**
 * Codec throughput (a script, never a timed test): `npm run bench:codec`.
 * Messages per second, on the one core this process runs on, for encodeText (encoding choice + segmentation +
 * UDH) followed by buildSubmitPdus (SMS-SUBMIT TPDUs with hex), the whole path a modem send takes:
 *   - a 160-character GSM text (1 part)
 *   - a 400-character GSM text (3 parts)
 *   - a 200-character Japanese text (3 parts, UCS-2)
 * Each case warms up, then runs several timed rounds; the median round is reported. Also the two halves alone, to
 * show where the time goes. Rates are per second of this process's CPU time (the process is single-threaded), so
 * a busy machine slows the run but not the numbers. Prints a table, then the same numbers as one JSON line.
 * BENCH_CODEC_ROUNDS (default 7) and BENCH_CODEC_MS (default 400, per round) tune the run.
 */
import { buildSubmitPdus, encodeText, type EncodedMessage } from '../drivers/codec/index.ts';

const ROUNDS = Number(process.env.BENCH_CODEC_ROUNDS ?? 7);
const ROUND_MS = Number(process.env.BENCH_CODEC_MS ?? 400);
const TO = '+447700900123';

const GSM_160 = 'The quick brown fox jumps over the lazy dog. Pack my box with five dozen liquor jugs! 0123456789 @£$ Sphinx of black quartz, judge my vow. How vexingly quick!!';
const GSM_400 = `${GSM_160}${GSM_160}${GSM_160}`.slice(0, 400);
const JAPANESE_200 = '吾輩は猫である。名前はまだ無い。どこで生れたかとんと見当がつかぬ。何でも薄暗いじめじめした所でニャーニャー泣いていた事だけは記憶している。'.repeat(4).slice(0, 200);

interface Case {
  readonly name: string;
  readonly text: string;
  readonly parts: number;
}

const CASES: readonly Case[] = [
  { name: 'GSM 160 chars (1 part)', text: GSM_160, parts: 1 },
  { name: 'GSM 400 chars (3 parts)', text: GSM_400, parts: 3 },
  { name: 'Japanese 200 chars (3 parts)', text: JAPANESE_200, parts: 3 },
];

/** Keeps results alive so the work cannot be optimized away. */
let sink = 0;

/**
 * Runs `work` in batches for about `ms` of this process's CPU time and returns calls per CPU second. CPU time
 * rather than wall time, so other processes on a busy machine do not count against the codec.
 */
function round(work: () => number, ms: number): number {
  let calls = 0;
  const start = process.cpuUsage();
  let used = 0;
  while (used < ms * 1000) {
    for (let i = 0; i < 1000; i++) sink += work();
    calls += 1000;
    const now = process.cpuUsage(start);
    used = now.user + now.system;
  }
  return (calls * 1e6) / used;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

function measure(work: () => number): number {
  round(work, Math.max(200, ROUND_MS)); // warm-up: let the JIT settle
  const rates: number[] = [];
  for (let r = 0; r < ROUNDS; r++) rates.push(round(work, ROUND_MS));
  return median(rates);
}

interface Result {
  readonly case: string;
  readonly parts: number;
  readonly messagesPerSecond: number;
  readonly encodeTextPerSecond: number;
  readonly buildSubmitPerSecond: number;
}

const results: Result[] = [];
for (const c of CASES) {
  const message: EncodedMessage = encodeText(c.text);
  if (message.parts.length !== c.parts) throw new Error(`${c.name}: ${message.parts.length} parts, expected ${c.parts}`);
  const options = { to: TO };
  results.push({
    case: c.name,
    parts: c.parts,
    messagesPerSecond: measure(() => buildSubmitPdus(encodeText(c.text), options).length),
    encodeTextPerSecond: measure(() => encodeText(c.text).parts.length),
    buildSubmitPerSecond: measure(() => buildSubmitPdus(message, options).length),
  });
}

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US').padStart(12);
console.log(`codec benchmark: node ${process.version}, ${ROUNDS} rounds of ${ROUND_MS} ms CPU, median, one core`);
console.log(`${'case'.padEnd(30)} ${'msg/s'.padStart(12)} ${'encodeText/s'.padStart(12)} ${'buildPdus/s'.padStart(12)}`);
for (const r of results) console.log(`${r.case.padEnd(30)} ${fmt(r.messagesPerSecond)} ${fmt(r.encodeTextPerSecond)} ${fmt(r.buildSubmitPerSecond)}`);
console.log(JSON.stringify({ benchmark: 'codec', rounds: ROUNDS, roundMs: ROUND_MS, results: results.map((r) => ({ ...r, messagesPerSecond: Math.round(r.messagesPerSecond), encodeTextPerSecond: Math.round(r.encodeTextPerSecond), buildSubmitPerSecond: Math.round(r.buildSubmitPerSecond) })) }));
if (sink === -1) console.log(sink);

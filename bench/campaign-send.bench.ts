/**
 * Campaign sending benchmark (a script, never a timed test): `npm run bench:campaign-send [-- --rows N]`.
 * One process: the SMSC simulator (happy scenario) and a gateway on the memory backend bound to it by SMPP as the
 * default routing's connector `smpp-aggregator` (`--binds` binds, window `--window`). Three JSON lines:
 * - rows: a campaign of `--rows` (default 100,000) one-segment JSON rows previewed (validation alone), then created
 *   (validation and the recipients stored): rows per second of each;
 * - unpaced: that campaign sent with no pacing, as fast as the connector takes it: messages per second and per hour
 *   counted at the SMSC from the end of create to the last submit received, and the memory peak (RSS and heap,
 *   sampled every 250 ms from before create to the last submit; the simulator's own records are in it too);
 * - paced: a campaign paced at `--paced-per-hour` segments an hour (default 20,000), measured over
 *   `--paced-seconds` (default 60): the rate the SMSC saw against the target, over the whole window, and the steady
 *   pace from the SMSC's receive times after the first second (the bucket starts with one second's worth).
 * Each option also reads an environment variable (BENCH_ROWS, BENCH_BINDS, BENCH_WINDOW, BENCH_PACED_PER_HOUR,
 * BENCH_PACED_SECONDS); the command line wins.
 */
import { parseArgs } from 'node:util';
import { createSmppConnector } from '../drivers/smpp/index.ts';
import { createMemoryBackend, Gateway, hashApiKey, loadRoutingFile } from '../gateway/index.ts';
import { RouterHandle } from '../router/index.ts';
import { startSmscSimulator } from '../simulator/index.ts';

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: process.env.BENCH_ROWS ?? '100000' },
    binds: { type: 'string', default: process.env.BENCH_BINDS ?? '2' },
    window: { type: 'string', default: process.env.BENCH_WINDOW ?? '32' },
    'paced-per-hour': { type: 'string', default: process.env.BENCH_PACED_PER_HOUR ?? '20000' },
    'paced-seconds': { type: 'string', default: process.env.BENCH_PACED_SECONDS ?? '60' },
  },
});

function positive(name: string, text: string): number {
  const value = Number(text.replaceAll('_', '').replaceAll(',', ''));
  if (!Number.isInteger(value) || value <= 0) throw new Error(`--${name} must be a positive integer, not "${text}"`);
  return value;
}

const ROWS = positive('rows', values.rows);
const BINDS = positive('binds', values.binds);
const WINDOW = positive('window', values.window);
const PACED_PER_HOUR = positive('paced-per-hour', values['paced-per-hour']);
const PACED_SECONDS = positive('paced-seconds', values['paced-seconds']);

const rows = (count: number, offset: number) => Array.from({ length: count }, (_v, i) => ({ phone: `+8190${String(10_000_000 + offset + i).slice(-8)}`, name: `n${i}` }));
const round = (value: number, places = 1): number => Math.round(value * 10 ** places) / 10 ** places;
const mib = (bytes: number): number => round(bytes / 1024 / 1024);

async function until(check: () => boolean, limitMs: number): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('bench: not finished in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Peak RSS and heap from now on, sampled every 250 ms (and at `sample()`). */
function memoryPeak(): { sample(): void; stop(): { rssPeakMiB: number; rssAboveBaseMiB: number; heapPeakMiB: number; heapAboveBaseMiB: number } } {
  global.gc?.();
  const base = process.memoryUsage();
  let rss = base.rss;
  let heap = base.heapUsed;
  const sample = (): void => {
    const now = process.memoryUsage();
    rss = Math.max(rss, now.rss);
    heap = Math.max(heap, now.heapUsed);
  };
  const timer = setInterval(sample, 250);
  return {
    sample,
    stop: () => {
      clearInterval(timer);
      sample();
      return { rssPeakMiB: mib(rss), rssAboveBaseMiB: mib(rss - base.rss), heapPeakMiB: mib(heap), heapAboveBaseMiB: mib(heap - base.heapUsed) };
    },
  };
}

async function main(): Promise<void> {
  const sim = await startSmscSimulator({ scenario: 'happy', accounts: [{ systemId: 'gw', password: 'pw', maxBinds: BINDS + 2 }] });
  const backend = createMemoryBackend();
  const driver = createSmppConnector({ id: 'smpp-aggregator', host: '127.0.0.1', port: sim.smppPort, systemId: 'gw', password: 'pw', binds: BINDS, windowSize: WINDOW });
  const gateway = new Gateway({
    backend,
    router: new RouterHandle(loadRoutingFile(undefined)),
    drivers: [driver],
    accounts: [{ id: 'bench', apiKeyHashes: [hashApiKey('bench-key-0123456789abcdef')], defaultCountry: 'JP' }],
  });
  await gateway.start();
  await until(() => gateway.links.isUp('smpp-aggregator'), 10_000);
  try {
    const received = (): number => sim.counts().messagesRecorded;
    const input = rows(ROWS, 0);
    const request = { template: 'Sale for {{name}}' };

    let start = performance.now();
    const preview = await gateway.campaignInput.preview('bench', { kind: 'rows', rows: input }, request, { sampleRows: 0 });
    const previewSeconds = (performance.now() - start) / 1000;

    const memory = memoryPeak();
    start = performance.now();
    const unpaced = await gateway.campaigns.create('bench', { kind: 'rows', rows: input }, request, {});
    const created = performance.now();
    const createSeconds = (created - start) / 1000;
    console.log(
      JSON.stringify({
        run: 'rows',
        rows: ROWS,
        valid: preview.rows.valid,
        previewSeconds: round(previewSeconds, 2),
        previewRowsPerSecond: Math.round(ROWS / previewSeconds),
        createSeconds: round(createSeconds, 2),
        createRowsPerSecond: Math.round(ROWS / createSeconds),
      }),
    );
    await until(() => {
      memory.sample();
      return received() >= ROWS;
    }, 3_600_000);
    const end = performance.now();
    const peak = memory.stop();
    const sendSeconds = (end - created) / 1000;
    const state = (await gateway.campaigns.get('bench', unpaced.campaign.id)).state;
    console.log(
      JSON.stringify({
        run: 'unpaced',
        rows: ROWS,
        binds: BINDS,
        window: WINDOW,
        sendSeconds: round(sendSeconds),
        perSecond: Math.round(ROWS / sendSeconds),
        perHour: Math.round((ROWS / sendSeconds) * 3600),
        totalSeconds: round((end - start) / 1000),
        state,
        ...peak,
      }),
    );

    const before = received();
    const pacedRows = Math.ceil((PACED_PER_HOUR / 3600) * PACED_SECONDS) + 50;
    start = performance.now();
    const paced = await gateway.campaigns.create('bench', { kind: 'rows', rows: rows(pacedRows, ROWS) }, request, { pacing: { segmentsPerHour: PACED_PER_HOUR } });
    await new Promise((resolve) => setTimeout(resolve, PACED_SECONDS * 1000));
    const seconds = (performance.now() - start) / 1000;
    const sent = received() - before;
    await gateway.campaigns.cancel('bench', paced.campaign.id);
    const perHour = Math.round((sent / seconds) * 3600);
    // The steady pace, from the SMSC's receive times after the first second (the bucket starts with one second's worth).
    const numbers = new Set(rows(pacedRows, ROWS).map((row) => row.phone.slice(1)));
    const times = sim
      .messages({ newestFirst: true, limit: pacedRows })
      .filter((message) => numbers.has(message.to))
      .map((message) => Date.parse(message.receivedAt))
      .sort((a, b) => a - b);
    const steady = times.filter((at) => at >= (times[0] ?? 0) + 1_000);
    const span = ((steady.at(-1) ?? 0) - (steady[0] ?? 0)) / 1000;
    const steadyPerHour = span > 0 ? Math.round(((steady.length - 1) / span) * 3600) : 0;
    console.log(JSON.stringify({ run: 'paced', targetPerHour: PACED_PER_HOUR, seconds: round(seconds), sent, perHour, steadyPerHour, targetMet: perHour >= PACED_PER_HOUR && steadyPerHour >= PACED_PER_HOUR * 0.995 }));
  } finally {
    await gateway.stop();
    await backend.close();
    await sim.close();
  }
}

await main();

/**
 * Campaign sending benchmark (a script, never a timed test): `npm run bench:campaign-send`.
 * One process: the SMSC simulator (happy scenario) and a gateway on the memory backend bound to it by SMPP as the
 * default routing's connector `smpp-aggregator`
 * (BENCH_BINDS binds, window BENCH_WINDOW). Two runs, one JSON line each:
 * - unpaced: a campaign of BENCH_ROWS one-segment rows with no pacing: as fast as the connector takes them;
 *   messages per second and per hour counted at the SMSC, from create to the last submit received.
 * - paced: a campaign paced at BENCH_PACED_PER_HOUR segments an hour (default 20,000), measured over
 *   BENCH_PACED_SECONDS: the rate the SMSC saw against the target.
 */
import { createSmppConnector } from '../drivers/smpp/index.ts';
import { createMemoryBackend, Gateway, hashApiKey, loadRoutingFile } from '../gateway/index.ts';
import { RouterHandle } from '../router/index.ts';
import { startSmscSimulator } from '../simulator/index.ts';

const ROWS = Number(process.env.BENCH_ROWS ?? 10_000);
const BINDS = Number(process.env.BENCH_BINDS ?? 2);
const WINDOW = Number(process.env.BENCH_WINDOW ?? 32);
const PACED_PER_HOUR = Number(process.env.BENCH_PACED_PER_HOUR ?? 20_000);
const PACED_SECONDS = Number(process.env.BENCH_PACED_SECONDS ?? 30);

const rows = (count: number, offset: number) => Array.from({ length: count }, (_v, i) => ({ phone: `+8190${String(10_000_000 + offset + i).slice(-8)}`, name: `n${i}` }));

async function until(check: () => boolean, limitMs: number): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('bench: not finished in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
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
    let start = performance.now();
    const unpaced = await gateway.campaigns.create('bench', { kind: 'rows', rows: rows(ROWS, 0) }, { template: 'Sale for {{name}}' }, {});
    const createdMs = performance.now() - start;
    await until(() => received() >= ROWS, 600_000);
    let seconds = (performance.now() - start) / 1000;
    const state = (await gateway.campaigns.get('bench', unpaced.campaign.id)).state;
    console.log(JSON.stringify({ run: 'unpaced', rows: ROWS, binds: BINDS, window: WINDOW, createMs: Math.round(createdMs), seconds: Math.round(seconds * 10) / 10, perSecond: Math.round(ROWS / seconds), perHour: Math.round((ROWS / seconds) * 3600), state }));

    const before = received();
    start = performance.now();
    const paced = await gateway.campaigns.create('bench', { kind: 'rows', rows: rows(Math.ceil((PACED_PER_HOUR / 3600) * PACED_SECONDS) + 50, ROWS) }, { template: 'Sale for {{name}}' }, { pacing: { segmentsPerHour: PACED_PER_HOUR } });
    await new Promise((resolve) => setTimeout(resolve, PACED_SECONDS * 1000));
    seconds = (performance.now() - start) / 1000;
    const sent = received() - before;
    await gateway.campaigns.cancel('bench', paced.campaign.id);
    console.log(JSON.stringify({ run: 'paced', targetPerHour: PACED_PER_HOUR, seconds: Math.round(seconds), sent, perHour: Math.round((sent / seconds) * 3600) }));
  } finally {
    await gateway.stop();
    await backend.close();
    await sim.close();
  }
}

await main();

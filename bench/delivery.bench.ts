/**
 * Delivery-semantics benchmark (a script, never a timed test): `npm run bench:delivery`.
 * The SMSC simulator and the gateway (`smsgw serve --config`, default `dispatch` settings) run as separate
 * processes; this process is the load generator. For each mode in BENCH_MODES (embedded, redis):
 *
 * - throttled: the carrier accepts BENCH_THROTTLE_TPS submits a second (ESME_RTHROTTLED beyond), and
 *   BENCH_THROTTLED_MESSAGES messages (every tenth of two parts) are posted at BENCH_RATE a second, so parts wait
 *   in the driver far longer than the reclaim idle time. It reports the distinct parts accepted by the gateway
 *   against the submit_sm the SMSC accepted (copies on handsets) and received (throttled ones included), and the
 *   final statuses.
 * - outage: the carrier goes away, BENCH_OUTAGE_MESSAGES messages are posted at BENCH_RATE a second while it is
 *   away, then it comes back on the same port. It reports accepted (and how: queued or scheduled), refused (by
 *   code), delivered, whether the SMSC received them in the order they were accepted, and how long the backlog
 *   took to drain.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { Pool } from 'undici';
import { BENCH_KEY as KEY, benchKeyPrefix, deleteKeys, REDIS_URL, spawnReady, stop, writeGatewayConfig } from './bench-processes.ts';

const MODES = (process.env.BENCH_MODES ?? 'embedded,redis').split(',');
const THROTTLE_TPS = Number(process.env.BENCH_THROTTLE_TPS ?? 10);
const THROTTLED_MESSAGES = Number(process.env.BENCH_THROTTLED_MESSAGES ?? 1_000);
const OUTAGE_MESSAGES = Number(process.env.BENCH_OUTAGE_MESSAGES ?? 2_000);
const RATE = Number(process.env.BENCH_RATE ?? 100);
const FINAL = ['delivered', 'undelivered', 'expired', 'failed', 'unknown', 'rejected', 'canceled'];

interface Simulator {
  readonly child: ChildProcess;
  readonly smppPort: number;
  readonly control: string;
}

async function startSimulator(port = 0): Promise<Simulator> {
  const { child, match } = await spawnReady(
    ['simulate', 'smsc', '--port', String(port), '--control-port', '0'],
    process.env,
    /smpp=[^:]+:(\d+) control=(http:\/\/\S+)/,
  );
  return { child, smppPort: Number(match[1]), control: match[2] as string };
}

async function control<T>(simulator: Simulator, path: string, init?: RequestInit): Promise<T> {
  const response = await fetch(`${simulator.control}${path}`, init);
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

async function startGateway(dir: string, mode: string, prefix: string, smppPort: number): Promise<{ child: ChildProcess; pool: Pool }> {
  const configPath = writeGatewayConfig(dir, { smppPort, binds: 1, windowSize: 10 });
  const env: NodeJS.ProcessEnv = { ...process.env, REDIS_URL, REDIS_PREFIX: prefix };
  delete env.KAFKA_BROKERS;
  if (mode === 'embedded') delete env.REDIS_URL;
  const { child, match } = await spawnReady(['serve', '--config', configPath, '--log-level', 'warn'], env, /listening on (http:\/\/\S+)/);
  return { child, pool: new Pool(match[1] as string, { connections: 64, pipelining: 1 }) };
}

interface Posted {
  readonly accepted: { id: string; text: string; parts: number; status: string }[];
  readonly refused: Record<string, number>;
}

/** Posts `count` messages at `rate` a second, each without waiting for the one before. */
async function postAtRate(pool: Pool, count: number, rate: number, text: (i: number) => string): Promise<Posted> {
  const accepted: Posted['accepted'] = [];
  const refused: Record<string, number> = {};
  const started = performance.now();
  const inFlight: Promise<void>[] = [];
  for (let i = 0; i < count; i += 1) {
    const due = started + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const body = text(i);
    inFlight.push(
      pool
        .request({
          path: '/v1/messages',
          method: 'POST',
          headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
          body: JSON.stringify({ to: `+8190${String(30_000_000 + i)}`, text: body }),
        })
        .then(async ({ statusCode, body: response }) => {
          const answer = (await response.json()) as { id?: string; parts?: number; status?: string; code?: string };
          if (statusCode === 202 && answer.id !== undefined) accepted.push({ id: answer.id, text: body, parts: answer.parts ?? 1, status: answer.status ?? '' });
          else refused[answer.code ?? String(statusCode)] = (refused[answer.code ?? String(statusCode)] ?? 0) + 1;
        }),
    );
  }
  await Promise.all(inFlight);
  return { accepted, refused };
}

async function statusCounts(pool: Pool): Promise<Record<string, number>> {
  const { body } = await pool.request({ path: '/metrics', method: 'GET' });
  const text = await body.text();
  const counts: Record<string, number> = {};
  for (const m of text.matchAll(/smsgw_message_status_total\{status="([a-z]+)"\} (\d+)/g)) counts[m[1] as string] = Number(m[2]);
  const reclaimed = [...text.matchAll(/smsgw_queue_reclaimed_total\{[^}]*\} (\d+)/g)].reduce((sum, m) => sum + Number(m[1]), 0);
  return { ...counts, reclaimed };
}

async function waitFinal(pool: Pool, target: number, timeoutMs: number): Promise<Record<string, number>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const counts = await statusCounts(pool);
    if (FINAL.reduce((sum, status) => sum + (counts[status] ?? 0), 0) >= target) return counts;
    if (Date.now() > deadline) throw new Error(`not every message final: ${JSON.stringify(counts)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

interface SimCounts {
  readonly received: Record<string, number>;
  readonly submitStatuses: Record<string, number>;
  readonly acceptedParts: number;
}

async function throttled(mode: string): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(join(tmpdir(), 'smsgw-bench-'));
  const prefix = benchKeyPrefix();
  const simulator = await startSimulator();
  await control(simulator, '/behaviour', {
    method: 'PATCH',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ throttle: { tps: THROTTLE_TPS, scope: 'account' } }),
  });
  const gateway = await startGateway(dir, mode, prefix, simulator.smppPort);
  try {
    const t0 = performance.now();
    const posted = await postAtRate(gateway.pool, THROTTLED_MESSAGES, RATE, (i) => (i % 10 === 0 ? `throttled ${i} `.repeat(14) : `throttled ${i}`));
    const statuses = await waitFinal(gateway.pool, posted.accepted.length, 3_600_000);
    const seconds = (performance.now() - t0) / 1000;
    const counts = await control<SimCounts>(simulator, '/counts');
    const records = await control<{ messages: { text: string }[] }>(simulator, `/messages?limit=${THROTTLED_MESSAGES * 2}`);
    const texts = records.messages.map((m) => m.text);
    return {
      scenario: 'throttled',
      mode,
      carrierTps: THROTTLE_TPS,
      postedPerSecond: RATE,
      messagesAccepted: posted.accepted.length,
      refused: posted.refused,
      distinctParts: posted.accepted.reduce((sum, a) => sum + a.parts, 0),
      submitsAcceptedAtSmsc: counts.acceptedParts,
      submitSmReceivedAtSmsc: counts.received.submit_sm ?? 0,
      throttledAnswers: counts.submitStatuses.ESME_RTHROTTLED ?? 0,
      messagesAtSmsc: texts.length,
      duplicateMessagesAtSmsc: texts.length - new Set(texts).size,
      statuses,
      seconds: +seconds.toFixed(1),
      loadAverage: readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).map(Number),
    };
  } finally {
    await tearDown(gateway, simulator, dir, mode === 'embedded' ? undefined : prefix);
  }
}

async function outage(mode: string): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(join(tmpdir(), 'smsgw-bench-'));
  const prefix = benchKeyPrefix();
  let simulator = await startSimulator();
  const port = simulator.smppPort;
  const gateway = await startGateway(dir, mode, prefix, port);
  try {
    await stop(simulator.child);
    // Let the gateway see the binds go.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const t0 = performance.now();
    const posted = await postAtRate(gateway.pool, OUTAGE_MESSAGES, RATE, (i) => `outage ${String(i).padStart(6, '0')}`);
    const during = await statusCounts(gateway.pool);
    const outageSeconds = (performance.now() - t0) / 1000;
    simulator = await startSimulator(port);
    const back = performance.now();
    const statuses = await waitFinal(gateway.pool, posted.accepted.length, 3_600_000);
    const drainSeconds = (performance.now() - back) / 1000;
    const records = await control<{ messages: { text: string }[] }>(simulator, `/messages?limit=${OUTAGE_MESSAGES * 2}`);
    const texts = records.messages.map((m) => m.text);
    // Acceptance order is the order the 202 answers came back in; the carrier should see the same.
    const acceptedOrder = posted.accepted.map((a) => a.text);
    let inversions = 0;
    const position = new Map(acceptedOrder.map((text, index) => [text, index]));
    for (let i = 1; i < texts.length; i += 1) if ((position.get(texts[i] as string) ?? 0) < (position.get(texts[i - 1] as string) ?? 0)) inversions += 1;
    const queuedAnswers = posted.accepted.filter((a) => a.status === 'queued').length;
    return {
      scenario: 'outage',
      mode,
      postedPerSecond: RATE,
      outageSeconds: +outageSeconds.toFixed(1),
      messagesPosted: OUTAGE_MESSAGES,
      accepted: posted.accepted.length,
      acceptedAsQueued: queuedAnswers,
      refused: posted.refused,
      finalDuringOutage: FINAL.reduce((sum, status) => sum + (during[status] ?? 0), 0),
      delivered: statuses.delivered ?? 0,
      statuses,
      messagesAtSmsc: texts.length,
      duplicateMessagesAtSmsc: texts.length - new Set(texts).size,
      orderInversionsAtSmsc: inversions,
      drainSeconds: +drainSeconds.toFixed(1),
      loadAverage: readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).map(Number),
    };
  } finally {
    await tearDown(gateway, simulator, dir, mode === 'embedded' ? undefined : prefix);
  }
}

async function tearDown(gateway: { child: ChildProcess; pool: Pool }, simulator: Simulator, dir: string, redisPrefix: string | undefined): Promise<void> {
  await gateway.pool.close();
  await stop(gateway.child);
  await stop(simulator.child);
  rmSync(dir, { recursive: true, force: true });
  if (redisPrefix !== undefined) await deleteKeys(redisPrefix);
}

for (const mode of MODES) {
  console.log(JSON.stringify(await throttled(mode)));
  console.log(JSON.stringify(await outage(mode)));
}

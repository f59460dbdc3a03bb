/**
 * Two gateway processes sharing one Redis (each its own connections, the same key prefix and deployment secret):
 * A sends the code through its SMPP bind, and checks race on both A and B. Exactly one of many parallel correct
 * checks approves, and parallel wrong checks never use more than the configured attempts.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, expect, test } from 'vitest';
import { createSmppConnector } from '../../../drivers/smpp/index.ts';
import { createRedisBackend, Gateway, hashApiKey, loadRoutingFile, type AccountConfig, type VerificationService } from '../../../gateway/index.ts';
import type { MessageBackend } from '../../../gateway/ports/backend.ts';
import { RouterHandle } from '../../../router/index.ts';
import { startSmscSimulator, type SmscSimulatorHandle } from '../../../simulator/index.ts';
import { REDIS_URL } from '../../support/test-backends.ts';
import { waitFor } from '../../support/wait-for.ts';

const ALICE = '+819011112222';
const SECRET = Buffer.from('the-shared-deployment-secret-0123456789');
const ACCOUNTS: AccountConfig[] = [{ id: 'demo', apiKeyHashes: [hashApiKey('race-key-0123456789abcdefghijklmnop')], defaultCountry: 'JP', verify: { maxAttempts: 3 } }];

const prefixes: string[] = [];
afterAll(async () => {
  const { Redis } = await import('ioredis');
  const redis = new Redis(REDIS_URL);
  for (const prefix of prefixes) {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
  }
  await redis.quit();
});

let running: { gateways: Gateway[]; backends: MessageBackend[]; sim: SmscSimulatorHandle } | undefined;

afterEach(async () => {
  if (running === undefined) return;
  for (const gateway of running.gateways) await gateway.stop();
  for (const backend of running.backends) await backend.close();
  await running.sim.close();
  running = undefined;
});

async function twoProcesses(): Promise<{ a: VerificationService; b: VerificationService; sim: SmscSimulatorHandle }> {
  const sim = await startSmscSimulator({ scenario: 'happy', accounts: [{ systemId: 'gw', password: 'pw', maxBinds: 4 }] });
  const prefix = `smsgw-test:${randomUUID()}:`;
  prefixes.push(prefix);
  const backends = [createRedisBackend({ url: REDIS_URL, prefix }), createRedisBackend({ url: REDIS_URL, prefix })];
  const gateways = backends.map(
    (backend, i) =>
      new Gateway({
        backend,
        router: new RouterHandle(loadRoutingFile(undefined)),
        // Process B serves the API only: the code goes out through A's bind.
        drivers: i === 0 ? [createSmppConnector({ id: 'smpp-aggregator', host: '127.0.0.1', port: sim.smppPort, systemId: 'gw', password: 'pw', binds: 1 })] : [],
        accounts: ACCOUNTS,
        consumer: `process-${i}`,
        verifySecret: SECRET,
      }),
  );
  running = { gateways, backends, sim };
  for (const gateway of gateways) await gateway.start();
  await waitFor(() => (gateways[0]?.links.isUp('smpp-aggregator') ? true : undefined), 'bind up');
  return { a: (gateways[0] as Gateway).verifications, b: (gateways[1] as Gateway).verifications, sim };
}

async function codeAt(sim: SmscSimulatorHandle, n: number): Promise<string> {
  const texts = await waitFor(() => {
    const found = sim.messages({}).filter((m) => m.to === ALICE.slice(1));
    return found.length >= n ? found : undefined;
  }, `code ${n} at the SMSC`);
  return /([0-9]{6})/.exec(texts[n - 1]?.text ?? '')?.[1] ?? '';
}

test('B checks the code A sent; of 12 parallel correct checks on A and B exactly one approves', async () => {
  const { a, b, sim } = await twoProcesses();
  const started = await a.start('demo', { to: ALICE });
  const code = await codeAt(sim, 1);
  expect((await b.get('demo', started.id)).status).toBe('pending');
  const outcomes = await Promise.allSettled(Array.from({ length: 12 }, (_, i) => (i % 2 === 0 ? a : b).check('demo', started.id, code)));
  const approvals = outcomes.filter((o) => o.status === 'fulfilled' && o.value.approved);
  expect(approvals).toHaveLength(1);
  const refusals = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected').map((o) => (o.reason as { code: string }).code);
  expect(refusals).toHaveLength(11);
  for (const code of refusals) expect(['VERIFY_ALREADY_APPROVED', 'VERIFY_MAX_ATTEMPTS']).toContain(code);
  expect((await a.get('demo', started.id)).status).toBe('approved');
});

test('20 parallel wrong checks on A and B use exactly the 3 attempts, and the right code after them is refused', async () => {
  const { a, b, sim } = await twoProcesses();
  const started = await b.start('demo', { to: ALICE });
  const code = await codeAt(sim, 1);
  const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
  const outcomes = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? a : b).check('demo', started.id, wrong)));
  const evaluated = outcomes.filter((o) => o.status === 'fulfilled');
  expect(evaluated).toHaveLength(3);
  const record = await a.get('demo', started.id);
  expect(record).toMatchObject({ attempts: 3, status: 'max_attempts_reached' });
  await expect(b.check('demo', started.id, code)).rejects.toMatchObject({ code: 'VERIFY_MAX_ATTEMPTS' });
});

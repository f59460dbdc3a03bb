/**
 * The gateway as `serve` runs it, on a Redis Cluster of three masters (REDIS_URL=redis+cluster://…), unchanged: it
 * accepts messages over HTTP (one-part and multi-part, a batch, an idempotent replay, under a quota), sends them
 * through the SMSC simulator, rolls the receipts up to delivered, and answers them back by id, in listings and in
 * the usage report; a suppressed number is refused.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runGateway, type RunningGateway } from '../../cli/serve/run-gateway.ts';
import { hashApiKey, newApiKey } from '../../gateway/index.ts';
import { startSmscSimulator, type SmscSimulatorHandle } from '../../simulator/index.ts';
import { clusterTestKeys } from '../support/redis-cluster-test-keys.ts';
import { waitFor } from '../support/wait-for.ts';

const KEY = newApiKey('cluster_');
const testKeys = clusterTestKeys();
const prefix = testKeys.prefix();
let smsc: SmscSimulatorHandle;
let running: RunningGateway;

function document(): Record<string, unknown> {
  return {
    server: { host: '127.0.0.1', port: 0 },
    accounts: [{ id: 'shop', apiKeyHashes: [hashApiKey(KEY)], defaultCountry: 'JP', quotas: { daily: { messages: 6 } } }],
    connectors: [{ id: 'carrier', type: 'smpp', host: '127.0.0.1', port: smsc.smppPort, systemId: 'gw', password: 'pw', binds: 2 }],
    routes: { carrier: { strategy: 'failover', connectors: [{ id: 'carrier' }] } },
    rules: [{ name: 'default', route: 'carrier' }],
  };
}

beforeAll(async () => {
  smsc = await startSmscSimulator({ name: 'carrier', accounts: [{ systemId: 'gw', password: 'pw', maxBinds: 4 }] });
  running = await runGateway({
    document: document(),
    fileName: 'cluster.yaml',
    redisUrl: testKeys.url,
    redisPrefix: prefix,
    logLevel: 'silent',
  }).catch((error: unknown) => { console.log('DEBUG', error, (error as { command?: unknown }).command); throw error; });
  await waitFor(async () => (await fetch(`${running.url}/readyz`)).status === 200, 'the gateway ready on the cluster');
});

afterAll(async () => {
  await running?.stop();
  await smsc?.close();
  await testKeys.cleanup();
});

async function call(method: string, route: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${running.url}${route}`, {
    method,
    headers: { authorization: `Bearer ${KEY}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: (text === '' ? {} : JSON.parse(text)) as Record<string, unknown> };
}

interface Message {
  readonly id: string;
  readonly status: string;
  readonly parts: readonly { status: string; smscMessageId?: string; raw?: { stat?: string } }[];
}

describe('the gateway on a Redis Cluster', () => {
  test('accepts, delivers with receipts and reads back; idempotency, quota, usage and suppressions hold', async () => {
    const long = '明日の配達は午前中を予定しています。ご不在の場合は再配達をご依頼ください。'.repeat(4);
    const one = await call('POST', '/v1/messages', { to: '090-1234-5678', text: 'こんにちは', clientRef: 'c-1' }, { 'idempotency-key': 'order-1' });
    expect(one).toMatchObject({ status: 202, body: { status: 'queued', parts: 1 } });
    const again = await call('POST', '/v1/messages', { to: '090-1234-5678', text: 'こんにちは', clientRef: 'c-1' }, { 'idempotency-key': 'order-1' });
    expect(again.body).toMatchObject({ id: one.body.id, duplicate: true });
    const multi = await call('POST', '/v1/messages', { to: '080-2222-3333', text: long });
    expect(multi).toMatchObject({ status: 202, body: { parts: 3 } });
    const batch = await call('POST', '/v1/messages/batch', { messages: ['070-1111-0001', '070-1111-0002', '070-1111-0003'].map((to) => ({ to, text: `batch ${to}` })) });
    expect(batch).toMatchObject({ status: 200, body: { accepted: 3, refused: 0 } });
    const ids = [one.body.id, multi.body.id, ...(batch.body.results as { message: { id: string } }[]).map((result) => result.message.id)] as string[];
    expect(new Set(ids).size).toBe(5);

    // Five messages taken from a daily quota of six: the sixth passes, the seventh is refused.
    expect((await call('POST', '/v1/messages', { to: '070-1111-0004', text: 'sixth' })).status).toBe(202);
    expect(await call('POST', '/v1/messages', { to: '070-1111-0005', text: 'seventh' })).toMatchObject({ status: 429, body: { code: 'GW_QUOTA_EXCEEDED' } });

    const delivered = await Promise.all(
      ids.map((id) =>
        waitFor(async () => {
          const { body } = await call('GET', `/v1/messages/${id}`);
          return body.status === 'delivered' ? (body as unknown as Message) : undefined;
        }, `message ${id} delivered`),
      ),
    );
    for (const message of delivered) {
      expect(message.parts.every((part) => part.status === 'delivered' && part.raw?.stat === 'DELIVRD' && part.smscMessageId !== undefined)).toBe(true);
    }
    expect(delivered[1]?.parts).toHaveLength(3);
    expect(smsc.messages({}).find((m) => m.to === '818022223333')).toMatchObject({ text: long, parts: 3, complete: true });

    const listed = await call('GET', '/v1/messages?limit=10');
    expect((listed.body.items as Message[]).map((m) => m.id)).toEqual(expect.arrayContaining(ids));
    const byRef = await call('GET', '/v1/messages?clientRef=c-1');
    expect((byRef.body.items as Message[]).map((m) => m.id)).toEqual([one.body.id]);

    const today = new Date().toISOString().slice(0, 10);
    const usage = await waitFor(async () => {
      const { body } = await call('GET', `/v1/usage?from=${today}&to=${today}`);
      return (body.total as { messages: number }).messages === 6 ? body : undefined;
    }, 'six messages billed');
    expect(usage.total).toMatchObject({ messages: 6, segments: 8 });

    expect((await call('POST', '/v1/suppressions', { number: '090-9999-0000' })).status).toBe(201);
    expect(await call('POST', '/v1/messages', { to: '090-9999-0000', text: 'no' })).toMatchObject({ status: 422, body: { code: 'GW_RECIPIENT_SUPPRESSED' } });
  });

  test.each([
    ['redis+cluster://app:hunter2@127.0.0.1:7000/3', 'REDIS_URL', /only database 0/],
    ['redis+cluster://127.0.0.1:7000,', 'REDIS_URL', /is not a host:port node/],
  ])('%s refuses the start with GW_INVALID_CONFIG before connecting', async (redisUrl, field, why) => {
    const start = runGateway({ document: document(), fileName: 'cluster.yaml', redisUrl, logLevel: 'silent' });
    await expect(start).rejects.toMatchObject({ code: 'GW_INVALID_CONFIG', details: { field } });
    const message = await start.catch((error: unknown) => (error instanceof Error ? error.message : String(error)));
    expect(message).toMatch(why);
    expect(message).not.toContain('hunter2');
  });

  test('a prefix with a brace refuses the start with GW_INVALID_CONFIG naming REDIS_PREFIX', async () => {
    const start = runGateway({ document: document(), fileName: 'cluster.yaml', redisUrl: testKeys.url, redisPrefix: 'smsgw{x}:', logLevel: 'silent' });
    await expect(start).rejects.toMatchObject({ code: 'GW_INVALID_CONFIG', details: { field: 'REDIS_PREFIX' } });
  });
});

/**
 * The gateway core end to end over real sockets: accept, dispatch through the SMPP driver to the SMSC simulator,
 * receipts back, roll-up, and a signed status webhook; on the memory backend and on Redis.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, describe, expect, test } from 'vitest';
import { createSmppConnector } from '../../drivers/smpp/index.ts';
import { hashApiKey, loadRoutingFile, verifyWebhook } from '../../gateway/index.ts';
import { Gateway } from '../../gateway/gateway.ts';
import type { MessageBackend } from '../../gateway/ports/backend.ts';
import { RouterHandle } from '../../router/index.ts';
import { startSmscSimulator, type SmscSimulatorHandle } from '../../simulator/index.ts';
import { testBackends } from '../support/test-backends.ts';
import { waitFor } from '../support/wait-for.ts';

const SECRET = 'whsec-test';

interface Hook {
  readonly body: string;
  readonly signature: string;
}

async function hookServer(): Promise<{ server: Server; url: string; hooks: Hook[] }> {
  const hooks: Hook[] = [];
  const server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      hooks.push({ body: Buffer.concat(chunks).toString('utf8'), signature: String(req.headers['smsgw-signature'] ?? '') });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, hooks };
}


const backendsUnderTest = testBackends();
afterAll(() => backendsUnderTest.removeRedisKeys());

const backends = backendsUnderTest.rows;

describe.each(backends)('gateway on the %s backend', (_name, makeBackend) => {
  let simulator: SmscSimulatorHandle | undefined;
  let gateway: Gateway | undefined;
  let backend: MessageBackend | undefined;
  let hooks: Awaited<ReturnType<typeof hookServer>> | undefined;

  afterEach(async () => {
    await gateway?.stop();
    await backend?.close();
    await simulator?.close();
    await new Promise((resolve) => hooks?.server.close(resolve));
  });

  async function setUp(scenario = 'happy'): Promise<Gateway> {
    simulator = await startSmscSimulator({ scenario, accounts: [{ systemId: 'gw', password: 'pw', maxBinds: 4 }] });
    hooks = await hookServer();
    backend = makeBackend();
    const driver = createSmppConnector({
      id: 'smpp-aggregator',
      host: '127.0.0.1',
      port: simulator.smppPort,
      systemId: 'gw',
      password: 'pw',
      binds: 2,
      windowSize: 50,
      reconnect: { initialMs: 50, maxMs: 500 },
    });
    gateway = new Gateway({
      backend,
      router: new RouterHandle(loadRoutingFile(undefined)),
      drivers: [driver],
      accounts: [{ id: 'demo', apiKeyHashes: [hashApiKey('k')], defaultCountry: 'JP', callbackUrl: hooks.url, callbackSecret: SECRET }],
      // The receiver listens on loopback, which webhooks may reach only when allowed.
      webhooks: { schedule: [100, 200], allow: ['127.0.0.1/32'] },
    });
    await gateway.start();
    await waitFor(() => (gateway?.links.isUp('smpp-aggregator') === true ? true : undefined), 'bind up');
    return gateway;
  }

  test('a docomo number gets 66 characters a part on a 16-bit reference; the SMSC reassembles the exact text', async () => {
    const gw = await setUp();
    const text = 'あいうえおかきくけこ'.repeat(14);
    const accepted = await gw.messages.submit('demo', { to: '080-1234-5678', text });
    expect(accepted).toMatchObject({ carrier: 'docomo', encoding: 'ucs2', parts: 3 });
    const record = await waitFor(async () => {
      const r = await gw.messages.get('demo', accepted.id);
      return r.status === 'delivered' ? r : undefined;
    }, 'delivered');
    expect(record.envelope.encoded.parts.map((p) => [p.text?.length, p.concat?.refSize])).toEqual([[66, 16], [66, 16], [8, 16]]);
    const received = simulator?.messages({}) ?? [];
    expect(received.find((m) => m.to === '818012345678')).toMatchObject({ text, parts: 3, complete: true });
  });

  test('a 3-part Japanese message is delivered: exact text at the SMSC, 3 SMSC ids, a signed webhook', async () => {
    const gw = await setUp();
    const text = '明日の配達は午前中を予定しています。ご不在の場合は再配達をご依頼ください。'.repeat(4);
    const accepted = await gw.messages.submit('demo', { to: '090-1234-5678', text, clientRef: 'order-42' });
    expect(accepted).toMatchObject({ to: '+819012345678', encoding: 'ucs2', parts: 3, connector: 'smpp-aggregator', status: 'queued' });
    const record = await waitFor(async () => {
      const r = await gw.messages.get('demo', accepted.id);
      return r.status === 'delivered' ? r : undefined;
    }, 'delivered');
    expect(record.parts.map((p) => p.status)).toEqual(['delivered', 'delivered', 'delivered']);
    const ids = record.parts.map((p) => p.carrierMessageId);
    expect(new Set(ids).size).toBe(3);
    expect(record.parts.every((p) => p.raw?.stat === 'DELIVRD')).toBe(true);
    const events = record.timeline.map((t) => t.event);
    expect(events.slice(0, 3)).toEqual(['accepted', 'queued', 'sending']);
    expect(events.filter((e) => e === 'part:submitted')).toHaveLength(3);
    expect(events.at(-1)).toBe('delivered');

    const received = simulator?.messages({}) ?? [];
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({ text, parts: 3, complete: true, to: '819012345678' });
    expect([...(received[0]?.messageIds ?? [])].sort()).toEqual([...ids].sort());

    const hook = await waitFor(() => hooks?.hooks.find((h) => h.body.includes('"delivered"')), 'delivered webhook');
    expect(verifyWebhook(SECRET, hook.body, hook.signature, Math.floor(Date.now() / 1000))).toBe(true);
    expect(verifyWebhook('wrong-secret', hook.body, hook.signature, Math.floor(Date.now() / 1000))).toBe(false);
    expect(JSON.parse(hook.body)).toMatchObject({ type: 'message.status', messageId: accepted.id, status: 'delivered', clientRef: 'order-42', segments: 3 });
  });

  test('a carrier refusal for good fails the message with the raw command status kept', async () => {
    const gw = await setUp('invalid-destinations');
    const accepted = await gw.messages.submit('demo', { to: '070-1234-5678', text: 'hello' });
    const record = await waitFor(async () => {
      const r = await gw.messages.get('demo', accepted.id);
      return r.status === 'failed' ? r : undefined;
    }, 'failed');
    expect(record.parts[0]).toMatchObject({ status: 'failed', raw: { commandStatus: 0x0b } });
  });

  test('many messages at once all reach a final state', async () => {
    const gw = await setUp();
    const accepted = await gw.messages.submitBatch(
      'demo',
      Array.from({ length: 200 }, (_, i) => ({ to: `+8190${String(10_000_000 + i)}`, text: `Order ${i} shipped` })),
    );
    expect(accepted.every((r) => r.ok)).toBe(true);
    const ids = accepted.flatMap((r) => (r.ok ? [r.message.id] : []));
    await waitFor(async () => {
      const records = await Promise.all(ids.map((id) => gw.messages.get('demo', id)));
      return records.every((r) => r.status === 'delivered') ? true : undefined;
    }, 'all delivered', 20_000);
    expect(simulator?.counts().received.submit_sm).toBe(200);
  });
});

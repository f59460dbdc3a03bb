import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createHlrHook, undiciHlrFetcher } from '../../../../gateway/index.ts';
import { CarrierResolver, PrefixTable, type CarrierData } from '../../../../router/index.ts';

/** A local HLR service: the last digit of the number selects the behaviour. */
const requests: string[] = [];
const server = createServer((req: IncomingMessage, res: ServerResponse) => {
  const msisdn = new URL(req.url ?? '/', 'http://127.0.0.1').searchParams.get('msisdn') ?? '';
  requests.push(msisdn);
  const reply = (status: number, body: unknown): void => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  switch (msisdn.at(-1)) {
    case '1':
      return reply(200, { carrier: 'SoftBank' });
    case '2':
      return reply(200, { network: '44010' });
    case '3':
      return reply(404, { error: 'unknown' });
    case '4':
      return reply(500, { error: 'down' });
    case '5':
      return void setTimeout(() => reply(200, { carrier: 'au' }), 1_000);
    default:
      return reply(200, {});
  }
});
let base = '';

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const data: CarrierData = { ranges: PrefixTable.build([{ prefix: '8190', carrier: 'docomo', source: 'ranges' }]), defaults: new Map(), names: new Map() };

describe('undiciHlrFetcher', () => {
  test.each([
    ['+819000000001', 'carrier', {}, 'softbank'],
    ['+819000000002', 'network', { '44010': 'docomo' }, 'docomo'],
    ['+819000000003', 'carrier', {}, undefined],
    ['+819000000009', 'carrier', {}, undefined],
  ])('%s (field %s) -> %s', async (number, carrierField, carrierMap, expected) => {
    const fetch = undiciHlrFetcher({ url: `${base}/lookup?msisdn={number}`, carrierField, carrierMap });
    expect(await fetch(number, new AbortController().signal)).toBe(expected);
    expect(requests.at(-1)).toBe(number.slice(1));
  });

  test('a 5xx is a failure', async () => {
    const fetch = undiciHlrFetcher({ url: `${base}/lookup?msisdn={number}` });
    await expect(fetch('+819000000004', new AbortController().signal)).rejects.toMatchObject({ code: 'ROUTE_HLR_FAILED', details: { status: 500 } });
  });
});

describe('HLR hook in carrier lookup', () => {
  test('off by default', () => {
    expect(createHlrHook(undefined)).toBeUndefined();
    expect(createHlrHook({ url: `${base}/x`, enabled: false })).toBeUndefined();
  });

  test.each([
    ['+819000000001', { carrier: 'softbank', source: 'hlr' }],
    ['+819000000003', { carrier: 'docomo', source: 'ranges' }],
    ['+819000000004', { carrier: 'docomo', source: 'ranges' }],
    ['+819000000005', { carrier: 'docomo', source: 'ranges' }],
  ])('%s -> %j (answer, not known, failure, timeout)', async (number, expected) => {
    const hlr = createHlrHook({ enabled: true, url: `${base}/lookup?msisdn={number}`, timeoutMs: 200, cacheTtlSeconds: 60 });
    const resolver = new CarrierResolver({ hlr });
    expect(await resolver.resolve(data, { e164: number, country: 'JP' }, Date.now())).toMatchObject(expected);
  });

  test('answers are cached for the TTL', async () => {
    const hlr = createHlrHook({ enabled: true, url: `${base}/lookup?msisdn={number}`, timeoutMs: 500, cacheTtlSeconds: 60 });
    const before = requests.length;
    await hlr?.lookup('+819000000011');
    await hlr?.lookup('+819000000011');
    expect(requests.length - before).toBe(1);
    expect(hlr?.stats.hits).toBe(1);
  });
});

import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Pool } from 'undici';
import { BenchOptionError } from '../../bench/bench-options.ts';
import { startFloorServer } from '../../bench/http-floor-server.ts';
import { FLOOR_SERVERS, formatFloorSummary, parseFloorOptions, type FloorRow, type FloorServer } from '../../bench/http-floor-options.ts';
import { BENCH_KEY, singleBody, singles } from '../../bench/single-posts.ts';

describe('npm run bench:http-floor options', () => {
  test('defaults: the two bare servers, then the gateway, 20,000 measured after 20,000, 64 in flight', () => {
    expect(parseFloorOptions([])).toEqual({ runs: ['node-http', 'fastify', 'gateway'], messages: 20_000, warmup: 20_000, concurrency: 64, json: false, help: false });
  });

  test('--runs keeps the fixed order and drops repeats; an unknown run or a bad count is refused by name', () => {
    expect(parseFloorOptions(['--runs', 'gateway,node-http,gateway']).runs).toEqual(['node-http', 'gateway']);
    expect(() => parseFloorOptions(['--runs', 'express'])).toThrow(new BenchOptionError('--runs: unknown "express" (known: node-http, fastify, gateway)'));
    expect(() => parseFloorOptions(['--messages', '0'])).toThrow(/--messages must be an integer of at least 1, got "0"/);
    expect(() => parseFloorOptions(['--rate', '5'])).toThrow(BenchOptionError);
  });
});

describe('the closing table', () => {
  const row = (run: FloorRow['run'], cpu: number, delivered?: number): FloorRow => ({
    run,
    requestsPerSecond: 1000,
    serverCpuSecondsPerThousand: cpu,
    ...(delivered === undefined ? {} : { deliveredCpuSecondsPerThousand: delivered }),
    loadCpuSecondsPerThousand: 0.05,
    latencyMs: { p50: 4, p99: 12 },
    loadAverage: [1, 1, 1],
  });

  test("each bare server's CPU as a share of the embedded goal and of the gateway's, to the last answer and to the last receipt", () => {
    const text = formatFloorSummary([row('node-http', 0.04), row('fastify', 0.05), row('gateway', 0.4, 0.5)]);
    expect(text).toContain('bare node:http: 40% of the embedded goal (0.10 s per 1,000), 10% of the gateway\'s CPU to the last answer, 8% to the last receipt');
    expect(text).toContain('bare fastify, schemas: 50% of the embedded goal');
    expect(text).toMatch(/\| gateway, embedded +\| 1000 +\| 0\.400 +\| 0\.500 /);
  });

  test('without the gateway, only the goal is compared against', () => {
    expect(formatFloorSummary([row('node-http', 0.04)]).split('\n').at(-1)).toBe('bare node:http: 40% of the embedded goal (0.10 s per 1,000)');
  });
});

describe.each(FLOOR_SERVERS)('the bare %s server', (kind: FloorServer) => {
  let server: Awaited<ReturnType<typeof startFloorServer>>;
  let pool: Pool;
  beforeAll(async () => {
    server = await startFloorServer(kind);
    pool = new Pool(server.url, { connections: 4 });
  });
  afterAll(async () => {
    await pool.close();
    await server.close();
  });

  const post = async (body: string, key = BENCH_KEY): Promise<{ status: number; json: Record<string, unknown> }> => {
    const reply = await pool.request({ path: '/v1/messages', method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body });
    return { status: reply.statusCode, json: (await reply.body.json()) as Record<string, unknown> };
  };

  test("answers the bench's request with a 202 of the gateway's fields", async () => {
    const { status, json } = await post(singleBody(7));
    expect(status).toBe(202);
    expect(json).toMatchObject({ status: 'queued', to: '+819010000007', carrier: 'docomo', encoding: 'gsm7', parts: 1, duplicate: false });
    expect(json.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(Object.keys(json).sort()).toEqual(['carrier', 'carrierSource', 'connector', 'createdAt', 'duplicate', 'encoding', 'id', 'parts', 'route', 'status', 'to']);
  });

  test('refuses a wrong key and a body that is not a message', async () => {
    expect((await post(singleBody(1), 'wrong')).status).toBe(401);
    expect((await post('{"to": 5}')).status).toBe(400);
    expect((await post('not json')).status).toBe(400);
  });

  test("the benches' closed loop gets every request answered", async () => {
    const latencies = await singles(pool, 50, 0, 4);
    expect(latencies).toHaveLength(50);
    expect(latencies.every((ms, i) => i === 0 || ms >= (latencies[i - 1] as number))).toBe(true);
  });
});

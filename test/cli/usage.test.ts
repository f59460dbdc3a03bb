/**
 * `smsgw usage` against a running gateway's API (in this process, on an ephemeral port; the gateway on a loopback
 * carrier that delivers everything, priced at 2.5 JPY a segment): a table, the API's CSV, and refusals as
 * `smsgw: CODE: message` with exit code 1.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { buildApp } from '../../api/index.ts';
import { LoopbackDriver } from '../../drivers/loopback/index.ts';
import { createMemoryBackend, Gateway, hashApiKey, readBuiltinRanges } from '../../gateway/index.ts';
import { buildRoutingTable, RouterHandle } from '../../router/index.ts';
import { waitFor } from '../support/wait-for.ts';

const BIN = fileURLToPath(new URL('../../bin/smsgw.js', import.meta.url));
const KEY = 'cli-usage-key-0123456789abcdefghijkl';
const ROUTING = { routes: { jp: { strategy: 'failover', currency: 'JPY', connectors: [{ id: 'carrier-a', price: 2.5 }] } }, rules: [{ name: 'default', route: 'jp' }] };

let gateway: Gateway;
let app: FastifyInstance;
let url: string;
const today = new Date().toISOString().slice(0, 10);

beforeAll(async () => {
  const carrier = new LoopbackDriver({ id: 'carrier-a' }).answerEverySend({ receipt: 'delivered' });
  gateway = new Gateway({
    backend: createMemoryBackend(),
    router: new RouterHandle(buildRoutingTable(ROUTING, { fileName: 'test', rangeEntries: [...readBuiltinRanges()], connectorIds: new Set(['carrier-a']) })),
    drivers: [carrier],
    accounts: [{ id: 'demo', apiKeyHashes: [hashApiKey(KEY)], defaultCountry: 'JP' }],
  });
  await gateway.start();
  for (const text of ['one', 'あ'.repeat(100)]) await gateway.messages.submit('demo', { to: '090-1234-5678', text });
  await waitFor(async () => (await gateway.usage.report({ accountId: 'demo', from: today, to: today, groupBy: 'status' })).total.messages === 2 || undefined, 'usage counted');
  app = await buildApp({ gateway });
  url = await app.listen({ host: '127.0.0.1', port: 0 });
});

afterAll(async () => {
  await app.close();
  await gateway.stop();
});

/** Runs the CLI without blocking this process (the API it calls runs here). */
function cli(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, SMSGW_API_KEY: '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.on('close', (status) => resolve({ status, stdout, stderr })));
}

test('prints the usage as a table, with a total', async () => {
  const result = await cli(['usage', '--url', url, '--key', KEY, '--from', today, '--to', today, '--group-by', 'connector']);
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  expect(result.stdout.split('\n')).toEqual([
    'connector  messages  segments  price JPY',
    'carrier-a         2         3        7.5',
    'total             2         3        7.5',
    '(days in UTC)',
    '',
  ]);
});

test('--csv prints the API CSV; the key may come from SMSGW_API_KEY', async () => {
  const result = await cli(['usage', '--url', url, '--from', today, '--to', today, '--csv'], { SMSGW_API_KEY: KEY });
  expect(result.status).toBe(0);
  expect(result.stdout).toBe(`\uFEFFday,messages,segments,price_JPY\r\n${today},2,3,7.5\r\n`);
});

test.each([
  [['--key', KEY, '--from', '2026-03-02', '--to', '2026-03-01'], 'smsgw: GW_INVALID_USAGE_QUERY: the usage query is not valid: from 2026-03-02 is after to 2026-03-01\n'],
  [['--key', 'wrong-key', '--from', today, '--to', today], 'smsgw: API_UNAUTHORIZED: missing or unknown API key\n'],
  [['--from', today, '--to', today], 'smsgw: CLI_INVALID_OPTION: invalid command-line option: an API key is needed: --key or SMSGW_API_KEY\n'],
])('%j is refused as smsgw: CODE: message', async (args, stderr) => {
  const result = await cli(['usage', '--url', url, ...args]);
  expect(result.stderr).toBe(stderr);
  expect(result.status).toBe(1);
});

test('an unreachable gateway is CLI_GATEWAY_UNREACHABLE', async () => {
  const result = await cli(['usage', '--url', 'http://127.0.0.1:1', '--key', KEY, '--from', today, '--to', today]);
  expect(result.stderr).toMatch(/^smsgw: CLI_GATEWAY_UNREACHABLE: could not reach the gateway's API: http:\/\/127\.0\.0\.1:1: /);
  expect(result.status).toBe(1);
});

/**
 * Number portability in the running gateway, memory mode: the portability file (`mnp.file` in the configuration,
 * or `serve --mnp-file`) in the format `smsgw mnp import` reads, loaded at start and re-read on SIGHUP; the HLR
 * hook when `mnp.hlr` is on; `carrierSource` naming the deciding source in the 202 and in the stored message; a
 * bad row refusing the start (or the reload) with its line. The gateway runs as `serve` runs it (runGateway, or
 * the `smsgw` command itself) against simulated carriers over SMPP.
 */
import type { ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { parse, stringify } from 'yaml';
import { runGateway, type RunningGateway } from '../../cli/serve/run-gateway.ts';
import { hashApiKey, PortingFileError } from '../../gateway/index.ts';
import { startSmscSimulator, type SmscSimulatorHandle } from '../../simulator/index.ts';
import { waitFor } from '../support/wait-for.ts';
import { spawnServe } from './run-cli.ts';

const API_KEY = 'serve-mnp-test-key';
const headers = { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' };
const dir = mkdtempSync(join(tmpdir(), 'smsgw-serve-mnp-'));
let carrierA: SmscSimulatorHandle;
let carrierB: SmscSimulatorHandle;
let hlrServer: Server;
let hlrUrl = '';
let running: RunningGateway | undefined;
let child: ChildProcess | undefined;

beforeAll(async () => {
  const accounts = [{ systemId: 'gw', password: 'pw', maxBinds: 4 }];
  carrierA = await startSmscSimulator({ name: 'carrier-a', accounts });
  carrierB = await startSmscSimulator({ name: 'carrier-b', accounts });
  // The HLR service knows one number (on SoftBank's MCC-MNC); every other one is "not known" (404).
  hlrServer = createServer((request, response) => {
    const known = request.url === '/lookup?msisdn=819012349999';
    response.writeHead(known ? 200 : 404, { 'content-type': 'application/json' });
    response.end(known ? JSON.stringify({ carrier: '44020' }) : '{}');
  });
  await new Promise<void>((resolve) => hlrServer.listen(0, '127.0.0.1', resolve));
  hlrUrl = `http://127.0.0.1:${(hlrServer.address() as AddressInfo).port}/lookup?msisdn={number}`;
});

afterEach(async () => {
  await running?.stop();
  running = undefined;
  if (child !== undefined && child.exitCode === null) child.kill('SIGKILL');
});

afterAll(async () => {
  await Promise.all([carrierA.close(), carrierB.close(), new Promise((resolve) => hlrServer.close(resolve))]);
  rmSync(dir, { recursive: true, force: true });
});

/** A configuration file with two simulated carriers: docomo and Rakuten to carrier-a, au and SoftBank to carrier-b. */
function writeConfig(name: string, mnp: Record<string, unknown>): string {
  const smpp = (id: string, port: number) => ({ id, type: 'smpp', host: '127.0.0.1', port, systemId: 'gw', password: 'pw', binds: 1 });
  const path = join(dir, name);
  writeFileSync(
    path,
    stringify({
      server: { host: '127.0.0.1', port: 0 },
      accounts: [{ id: 'demo', apiKeyHashes: [hashApiKey(API_KEY)], defaultCountry: 'JP' }],
      connectors: [smpp('carrier-a', carrierA.smppPort), smpp('carrier-b', carrierB.smppPort)],
      routes: {
        'carrier-a': { strategy: 'failover', connectors: [{ id: 'carrier-a' }] },
        'carrier-b': { strategy: 'failover', connectors: [{ id: 'carrier-b' }] },
      },
      rules: [
        { name: 'docomo-and-rakuten', match: { carrier: ['docomo', 'rakuten'] }, route: 'carrier-a' },
        { name: 'default', route: 'carrier-b' },
      ],
      mnp,
    }),
  );
  return path;
}

async function start(path: string, now?: () => number): Promise<RunningGateway> {
  running = await runGateway({ document: parseFile(path), fileName: path, path, logLevel: 'silent', ...(now === undefined ? {} : { now }) });
  await waitFor(() => (running?.gateway.links.isUp('carrier-a') === true && running.gateway.links.isUp('carrier-b') ? true : undefined), 'both binds up');
  return running;
}

/** What `serve --config` does with the file before runGateway. */
function parseFile(path: string): Record<string, unknown> {
  return parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
}

interface Accepted {
  readonly id: string;
  readonly carrier: string;
  readonly carrierSource: string;
  readonly connector: string;
}

async function send(gateway: RunningGateway, to: string, text: string): Promise<Accepted> {
  const response = await fetch(`${gateway.url}/v1/messages`, { method: 'POST', headers, body: JSON.stringify({ to, text }) });
  expect(response.status).toBe(202);
  return (await response.json()) as Accepted;
}

async function delivered(gateway: RunningGateway, id: string): Promise<{ carrier: string; carrierSource: string; parts: { connector?: string }[] }> {
  return waitFor(async () => {
    const got = (await (await fetch(`${gateway.url}/v1/messages/${id}`, { headers })).json()) as { status: string; carrier: string; carrierSource: string; parts: { connector?: string }[] };
    return got.status === 'delivered' ? got : undefined;
  }, `message ${id} delivered`);
}

describe('memory mode: mnp.file', () => {
  test('the file decides the carrier (source mnp) and the message goes to that carrier’s connector', async () => {
    writeFileSync(join(dir, 'ports.csv'), 'number,carrier,effective_date\n090-1234-5678,docomo\n');
    const gateway = await start(writeConfig('gateway.yaml', { file: 'ports.csv', country: 'JP' }));
    expect(gateway.porting).toBe(`number portability: 1 ported numbers from ${join(dir, 'ports.csv')}`);
    const accepted = await send(gateway, '090-1234-5678', 'ported to docomo');
    expect(accepted).toMatchObject({ carrier: 'docomo', carrierSource: 'mnp', connector: 'carrier-a' });
    const record = await delivered(gateway, accepted.id);
    expect(record).toMatchObject({ carrier: 'docomo', carrierSource: 'mnp', parts: [{ connector: 'carrier-a' }] });
    expect(carrierA.messages({ to: '+819012345678', text: 'ported to docomo' })).toHaveLength(1);
    expect(carrierB.messages({ text: 'ported to docomo' })).toHaveLength(0);
    // A number the file does not hold keeps its range.
    expect(await send(gateway, '090-1234-0000', 'not ported')).toMatchObject({ carrier: 'au', carrierSource: 'ranges', connector: 'carrier-b' });
  });

  test('a port with an effective date is in force from that date on, by the injected clock', async () => {
    writeFileSync(join(dir, 'dated.csv'), '+819012340000,docomo,2030-06-01T00:00:00Z\n');
    let clock = Date.parse('2030-05-31T23:59:00Z');
    const gateway = await start(writeConfig('dated.yaml', { file: 'dated.csv' }), () => clock);
    expect(await send(gateway, '+819012340000', 'before')).toMatchObject({ carrier: 'au', carrierSource: 'ranges', connector: 'carrier-b' });
    clock = Date.parse('2030-06-01T00:00:00Z');
    expect(await send(gateway, '+819012340000', 'from')).toMatchObject({ carrier: 'docomo', carrierSource: 'mnp', connector: 'carrier-a' });
  });

  test('a reload re-reads the file; a bad file is refused by line and the data in force stays', async () => {
    const ports = join(dir, 'reload.csv');
    writeFileSync(ports, '+819012345678,docomo\n');
    const gateway = await start(writeConfig('reload.yaml', { file: 'reload.csv' }));
    expect(await send(gateway, '+819012345678', 'one')).toMatchObject({ carrier: 'docomo', carrierSource: 'mnp' });

    writeFileSync(ports, '+819012345678,rakuten\n+819012340000,docomo\n');
    expect(await gateway.reload()).toMatchObject({ ok: true, ported: 2 });
    expect(await send(gateway, '+819012345678', 'two')).toMatchObject({ carrier: 'rakuten', carrierSource: 'mnp', connector: 'carrier-a' });
    expect(await send(gateway, '+819012340000', 'three')).toMatchObject({ carrier: 'docomo', carrierSource: 'mnp' });

    writeFileSync(ports, '+819012345678,softbank\n+819012340000,docomo,someday\n');
    const refused = await gateway.reload();
    expect(refused.ok).toBe(false);
    const error = (refused as { error: unknown }).error;
    expect(error).toBeInstanceOf(PortingFileError);
    expect(error).toMatchObject({ code: 'ROUTE_PORTING_ROW_INVALID', file: ports, line: 2, bad: 1 });
    expect(await send(gateway, '+819012345678', 'four')).toMatchObject({ carrier: 'rakuten', carrierSource: 'mnp' });
  });

  test('the HLR hook is asked first when mnp.hlr is on (source hlr); numbers it does not know fall back to the file', async () => {
    writeFileSync(join(dir, 'hlr-ports.csv'), '+819012349999,docomo\n+819012345678,docomo\n');
    const config = { file: 'hlr-ports.csv', hlr: { enabled: true, url: hlrUrl, timeoutMs: 2000, carrierMap: { '44020': 'softbank' } } };
    const gateway = await start(writeConfig('hlr.yaml', config));
    expect(gateway.porting).toContain(`HLR hook ${hlrUrl}`);
    const byHlr = await send(gateway, '+819012349999', 'hlr says softbank');
    expect(byHlr).toMatchObject({ carrier: 'softbank', carrierSource: 'hlr', connector: 'carrier-b' });
    expect(await delivered(gateway, byHlr.id)).toMatchObject({ carrierSource: 'hlr' });
    expect(await send(gateway, '+819012345678', 'hlr does not know')).toMatchObject({ carrier: 'docomo', carrierSource: 'mnp', connector: 'carrier-a' });
  });
});

describe('memory mode: serve --mnp-file on the embedded defaults', () => {
  test('the file decides at start and again after SIGHUP', async () => {
    const ports = join(dir, 'embedded.csv');
    writeFileSync(ports, '# national numbers: the embedded defaults read them as Japanese\n090-1234-5678,docomo\n');
    const serve = spawnServe({ REDIS_URL: undefined }, 45_000, ['--mnp-file', ports, '--log-level', 'info']);
    child = serve.child;
    const { url, apiKey, banner } = await serve.ready;
    expect(banner).toContain(`number portability: 1 ported numbers from ${ports}`);
    const send = async (text: string): Promise<Accepted> => {
      const response = await fetch(`${url}/v1/messages`, {
        method: 'POST',
        headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ to: '090-1234-5678', text }),
      });
      return (await response.json()) as Accepted;
    };
    expect(await send('docomo from the file')).toMatchObject({ carrier: 'docomo', carrierSource: 'mnp', connector: 'carrier-a' });
    writeFileSync(ports, '090-1234-5678,softbank\n');
    child.kill('SIGHUP');
    await waitFor(() => (serve.output().includes('portability file reloaded') ? true : undefined), 'the reload logged');
    expect(await send('softbank after SIGHUP')).toMatchObject({ carrier: 'softbank', carrierSource: 'mnp', connector: 'carrier-b' });
    const exited = serve.exited;
    child.kill('SIGTERM');
    expect((await exited).code).toBe(0);
  }, 90_000);
});

describe('a bad portability file refuses the start', () => {
  test('runGateway rejects with the typed error naming the file and the first bad line', async () => {
    const ports = join(dir, 'bad.csv');
    writeFileSync(ports, 'number,carrier\n+819012345678,docomo\n+819012340000,not a carrier\n+81901,au\n');
    const path = writeConfig('bad.yaml', { file: 'bad.csv' });
    const refused = await runGateway({ document: parseFile(path), fileName: path, path, logLevel: 'silent' }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(PortingFileError);
    expect(refused).toMatchObject({ code: 'ROUTE_PORTING_ROW_INVALID', file: ports, line: 3, bad: 2, rows: [{ line: 3 }, { line: 4 }] });
    expect((refused as Error).message).toContain(`${ports}:3: carrier "not a carrier"`);
  });

  test('`smsgw serve --config` exits non-zero with one line naming the file and line', async () => {
    writeFileSync(join(dir, 'bad-cli.csv'), '+819012345678,docomo\n090-1234-5678,au\n');
    const serve = spawnServe({ REDIS_URL: undefined }, 45_000, ['--config', writeConfig('bad-cli.yaml', { file: 'bad-cli.csv' })]);
    child = serve.child;
    const { code, output } = await serve.exited;
    expect(code).not.toBe(0);
    expect(output).toMatch(/ROUTE_PORTING_ROW_INVALID: .*bad-cli\.csv:2: number "090-1234-5678" is national; give a default country/);
  }, 60_000);

  test('with Redis, mnp.file is refused: the data lives in Redis (smsgw mnp import)', async () => {
    const path = writeConfig('redis.yaml', { file: 'ports.csv' });
    const refused = await runGateway({ document: parseFile(path), fileName: path, path, redisUrl: 'redis://127.0.0.1:1', logLevel: 'silent' }).catch((error: unknown) => error);
    expect(refused).toMatchObject({ code: 'GW_INVALID_CONFIG', details: { field: 'mnp.file' } });
    expect((refused as Error).message).toContain('smsgw mnp import');
  });
});

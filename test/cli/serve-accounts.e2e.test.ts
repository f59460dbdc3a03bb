/**
 * Accounts at runtime: the running gateway (as `serve` runs it, from a configuration file) reloads its accounts
 * with the routing sections on SIGHUP or POST /v1/admin/reload. A key added works at once, a key removed gets 401
 * at once, a refused file keeps everything as it was and names its code; the admin API has its own token and
 * never answers a key, a hash or a secret.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { parse, stringify } from 'yaml';
import { runGateway, type RunningGateway } from '../../cli/serve/run-gateway.ts';
import { hashApiKey, newApiKey } from '../../gateway/index.ts';
import { startSmscSimulator, type SmscSimulatorHandle } from '../../simulator/index.ts';

const OLD_KEY = newApiKey('old_');
const NEW_KEY = newApiKey('new_');
const OTHER_KEY = newApiKey('other_');
const ADMIN_TOKEN = newApiKey('admin_');
const SECRET = 'callback-secret-of-demo-0123456789';
const SECRETS = [OLD_KEY, NEW_KEY, OTHER_KEY, ADMIN_TOKEN, SECRET, ...[OLD_KEY, NEW_KEY, OTHER_KEY, ADMIN_TOKEN].map(hashApiKey)];

const dir = mkdtempSync(join(tmpdir(), 'smsgw-serve-accounts-'));
const path = join(dir, 'gateway.yaml');
let smsc: SmscSimulatorHandle;
let running: RunningGateway | undefined;

beforeAll(async () => {
  smsc = await startSmscSimulator({ name: 'carrier', accounts: [{ systemId: 'gw', password: 'pw', maxBinds: 4 }] });
});

afterEach(async () => {
  await running?.stop();
  running = undefined;
});

afterAll(async () => {
  await smsc.close();
  rmSync(dir, { recursive: true, force: true });
});

interface AccountSpec {
  readonly id: string;
  readonly keys: readonly string[];
  readonly [setting: string]: unknown;
}

function writeConfig(accounts: readonly AccountSpec[], extra: { admin?: boolean; server?: Record<string, unknown> } = {}): void {
  writeFileSync(
    path,
    stringify({
      server: { host: '127.0.0.1', port: 0, ...(extra.admin === false ? {} : { adminTokenHash: hashApiKey(ADMIN_TOKEN) }), ...extra.server },
      accounts: accounts.map(({ keys, ...rest }) => ({ ...rest, apiKeyHashes: keys.map(hashApiKey) })),
      connectors: [{ id: 'carrier', type: 'smpp', host: '127.0.0.1', port: smsc.smppPort, systemId: 'gw', password: 'pw', binds: 1 }],
      routes: { carrier: { strategy: 'failover', connectors: [{ id: 'carrier' }] } },
      rules: [{ name: 'default', route: 'carrier' }],
    }),
  );
}

async function start(): Promise<RunningGateway> {
  running = await runGateway({ document: parse(readFileSync(path, 'utf8')) as Record<string, unknown>, fileName: path, path, logLevel: 'silent' });
  return running;
}

async function call(gateway: RunningGateway, method: string, route: string, token: string | undefined, body?: unknown): Promise<{ status: number; body: Record<string, unknown>; text: string }> {
  const response = await fetch(`${gateway.url}${route}`, {
    method,
    headers: { ...(token === undefined ? {} : { authorization: `Bearer ${token}` }), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: (text === '' ? {} : JSON.parse(text)) as Record<string, unknown>, text };
}

const list = (gateway: RunningGateway, key: string) => call(gateway, 'GET', '/v1/messages?limit=1', key);

function expectNoSecret(text: string): void {
  for (const secret of SECRETS) expect(text).not.toContain(secret);
}

describe('reload of accounts', () => {
  test('rotation: a key added works without a restart, the old one removed gets 401 at once', async () => {
    writeConfig([{ id: 'demo', keys: [OLD_KEY] }]);
    const gateway = await start();
    expect((await list(gateway, OLD_KEY)).status).toBe(200);
    expect((await list(gateway, NEW_KEY)).status).toBe(401);

    writeConfig([{ id: 'demo', keys: [OLD_KEY, NEW_KEY] }]);
    const added = await gateway.reload();
    expect(added).toMatchObject({ ok: true, accounts: { added: [], removed: [], changed: [{ id: 'demo', fields: [], keysAdded: 1, keysRemoved: 0, keys: 2 }] }, restartNeeded: [] });
    expect((await list(gateway, OLD_KEY)).status).toBe(200);
    expect((await list(gateway, NEW_KEY)).status).toBe(200);

    writeConfig([{ id: 'demo', keys: [NEW_KEY] }]);
    expect(await gateway.reload()).toMatchObject({ ok: true, accounts: { changed: [{ id: 'demo', keysAdded: 0, keysRemoved: 1, keys: 1 }] } });
    expect((await list(gateway, OLD_KEY)).status).toBe(401);
    expect((await list(gateway, NEW_KEY)).status).toBe(200);
  });

  test('accounts added and removed, settings changed (allowedIps, limits) are in force after the reload', async () => {
    writeConfig([{ id: 'demo', keys: [OLD_KEY] }, { id: 'gone', keys: [OTHER_KEY] }]);
    const gateway = await start();
    expect((await list(gateway, OTHER_KEY)).status).toBe(200);

    writeConfig([
      { id: 'demo', keys: [OLD_KEY], allowedIps: ['10.0.0.0/8'] },
      { id: 'fresh', keys: [NEW_KEY], limits: { requestsPerSecond: 0.5 } },
    ]);
    const result = await gateway.reload();
    expect(result).toMatchObject({ ok: true, accounts: { added: [{ id: 'fresh', keys: 1 }], removed: ['gone'], changed: [{ id: 'demo', fields: ['allowedIps'], keysAdded: 0, keysRemoved: 0 }], accounts: 2 } });
    expect((await list(gateway, OTHER_KEY)).status).toBe(401);
    expect(await list(gateway, OLD_KEY)).toMatchObject({ status: 403, body: { code: 'API_IP_NOT_ALLOWED' } });
    // requestsPerSecond 0.5: the bucket holds one request.
    expect((await list(gateway, NEW_KEY)).status).toBe(200);
    expect(await list(gateway, NEW_KEY)).toMatchObject({ status: 429, body: { code: 'API_RATE_LIMITED' } });
  });

  test('a refused file (bad schema, bad defaultSender) keeps every account and the routing as they were, and names the code', async () => {
    writeConfig([{ id: 'demo', keys: [OLD_KEY] }]);
    const gateway = await start();
    expect(await gateway.reload()).toMatchObject({ ok: true });

    writeConfig([{ id: 'demo', keys: [NEW_KEY], defaultSender: 'far-too-long-sender' }]);
    const refused = await gateway.reload();
    expect(refused.ok).toBe(false);
    expect(refused).toMatchObject({ error: { code: 'GW_INVALID_CONFIG', details: { field: 'accounts[0].defaultSender' } } });
    expect((await list(gateway, OLD_KEY)).status).toBe(200);
    expect((await list(gateway, NEW_KEY)).status).toBe(401);

    writeFileSync(path, readFileSync(path, 'utf8').replace('apiKeyHashes:', 'apiKeyHash:'));
    expect(await gateway.reload()).toMatchObject({ ok: false, error: { code: 'GW_INVALID_CONFIG' } });
    expect((await list(gateway, OLD_KEY)).status).toBe(200);

    // A file whose routing is refused keeps the accounts too, though they were fine.
    writeConfig([{ id: 'demo', keys: [NEW_KEY] }]);
    writeFileSync(path, readFileSync(path, 'utf8').replace('route: carrier', 'route: nowhere'));
    expect(await gateway.reload()).toMatchObject({ ok: false, error: { code: 'ROUTE_CONFIG_INVALID' } });
    expect((await list(gateway, OLD_KEY)).status).toBe(200);
    expect((await list(gateway, NEW_KEY)).status).toBe(401);
  });

  test('sections a reload does not apply are named as needing a restart', async () => {
    writeConfig([{ id: 'demo', keys: [OLD_KEY] }]);
    const gateway = await start();
    writeConfig([{ id: 'demo', keys: [OLD_KEY] }], { server: { requestTimeoutMs: 30000 } });
    expect(await gateway.reload()).toMatchObject({ ok: true, accounts: { added: [], removed: [], changed: [] }, restartNeeded: ['server'] });
  });
});

describe('admin API', () => {
  test('off without server.adminTokenHash: 404, whatever the token', async () => {
    writeConfig([{ id: 'demo', keys: [OLD_KEY] }], { admin: false });
    const gateway = await start();
    expect(await call(gateway, 'GET', '/v1/admin/accounts', ADMIN_TOKEN)).toMatchObject({ status: 404, body: { code: 'API_NOT_FOUND' } });
    expect(await call(gateway, 'POST', '/v1/admin/reload', OLD_KEY)).toMatchObject({ status: 404, body: { code: 'API_NOT_FOUND' } });
  });

  test('its own credential: an account key gets 401 there, the admin token gets 401 on /v1/messages', async () => {
    writeConfig([{ id: 'demo', keys: [OLD_KEY] }]);
    const gateway = await start();
    expect(await call(gateway, 'GET', '/v1/admin/accounts', OLD_KEY)).toMatchObject({ status: 401, body: { code: 'API_UNAUTHORIZED' } });
    expect(await call(gateway, 'GET', '/v1/admin/accounts', undefined)).toMatchObject({ status: 401 });
    expect(await call(gateway, 'POST', '/v1/admin/reload', OLD_KEY)).toMatchObject({ status: 401 });
    expect(await call(gateway, 'GET', '/v1/messages?limit=1', ADMIN_TOKEN)).toMatchObject({ status: 401, body: { code: 'API_UNAUTHORIZED' } });
    expect(await call(gateway, 'POST', '/v1/messages', ADMIN_TOKEN, { to: '+819012345678', text: 'hi' })).toMatchObject({ status: 401 });
    expect((await call(gateway, 'GET', '/v1/admin/accounts', ADMIN_TOKEN)).status).toBe(200);
  });

  test('GET /v1/admin/accounts summarizes the accounts without keys, hashes or secrets', async () => {
    writeConfig([
      {
        id: 'demo',
        name: 'Demo',
        keys: [OLD_KEY, NEW_KEY],
        defaultCountry: 'JP',
        numbers: ['+819000000001'],
        limits: { messagesPerSecond: 5 },
        callbackUrl: 'https://hooks.example.com/cb?token=abc',
        callbackSecret: SECRET,
      },
    ]);
    const gateway = await start();
    const answer = await call(gateway, 'GET', '/v1/admin/accounts', ADMIN_TOKEN);
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      items: [{ id: 'demo', name: 'Demo', keys: 2, defaultCountry: 'JP', numbers: ['+819000000001'], limits: { messagesPerSecond: 5 }, callbackOrigin: 'https://hooks.example.com', signed: true, consoleUsers: [] }],
    });
    expectNoSecret(answer.text);
    expect(answer.text).not.toContain('token=abc');
  });

  test('POST /v1/admin/reload answers what changed, or the typed refusal (422) with the old accounts in force', async () => {
    writeConfig([{ id: 'demo', keys: [OLD_KEY], callbackUrl: 'https://hooks.example.com/a', callbackSecret: SECRET }]);
    const gateway = await start();
    writeConfig([
      { id: 'demo', keys: [NEW_KEY], callbackUrl: 'https://hooks.example.com/a', callbackSecret: `${SECRET}-2` },
      { id: 'fresh', keys: [OTHER_KEY] },
    ]);
    const reloaded = await call(gateway, 'POST', '/v1/admin/reload', ADMIN_TOKEN);
    expect(reloaded.status).toBe(200);
    expect(reloaded.body).toMatchObject({
      version: expect.any(String) as string,
      accounts: { added: [{ id: 'fresh', keys: 1 }], removed: [], changed: [{ id: 'demo', fields: ['callbackSecret'], keysAdded: 1, keysRemoved: 1, keys: 1 }], accounts: 2 },
      restartNeeded: [],
    });
    expectNoSecret(reloaded.text);
    expect((await list(gateway, NEW_KEY)).status).toBe(200);
    expect((await list(gateway, OLD_KEY)).status).toBe(401);

    writeConfig([{ id: 'demo', keys: [OLD_KEY], defaultSender: '!!not-a-sender!!' }]);
    const refused = await call(gateway, 'POST', '/v1/admin/reload', ADMIN_TOKEN);
    expect(refused).toMatchObject({ status: 422, body: { code: 'API_RELOAD_REFUSED', field: 'accounts[0].defaultSender', details: { refusedBy: 'GW_INVALID_CONFIG' } } });
    expectNoSecret(refused.text);
    expect((await list(gateway, NEW_KEY)).status).toBe(200);
    expect((await list(gateway, OLD_KEY)).status).toBe(401);
  });

  test('the admin token itself rotates with a reload', async () => {
    writeConfig([{ id: 'demo', keys: [OLD_KEY] }]);
    const gateway = await start();
    const next = newApiKey('admin_');
    writeConfig([{ id: 'demo', keys: [OLD_KEY] }], { server: { adminTokenHash: hashApiKey(next) } });
    expect((await call(gateway, 'POST', '/v1/admin/reload', ADMIN_TOKEN)).status).toBe(200);
    expect((await call(gateway, 'GET', '/v1/admin/accounts', ADMIN_TOKEN)).status).toBe(401);
    expect((await call(gateway, 'GET', '/v1/admin/accounts', next)).status).toBe(200);
  });

  test('failed admin attempts from one address are refused (429) past the limit, before the token is compared', async () => {
    writeConfig([{ id: 'demo', keys: [OLD_KEY] }]);
    const gateway = await start();
    for (let i = 0; i < 10; i += 1) expect((await call(gateway, 'GET', '/v1/admin/accounts', `wrong-${i}`)).status).toBe(401);
    const limited = await call(gateway, 'GET', '/v1/admin/accounts', ADMIN_TOKEN);
    expect(limited).toMatchObject({ status: 429, body: { code: 'API_RATE_LIMITED' } });
    // Account keys are not affected: their auth is another path.
    expect((await list(gateway, OLD_KEY)).status).toBe(200);
  });
});

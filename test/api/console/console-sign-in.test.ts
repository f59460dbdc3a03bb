/**
 * The console's door: sign-in with a console user or an API key, sign-out, CSRF on every form, the viewer role,
 * rate-limited guessing, the IP allow-list, sessions ended by a reload, and the language switch. Over inject,
 * on the memory backend; the browser tests walk the same pages in Chromium.
 */
import { hash } from '@node-rs/argon2';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import { buildApp } from '../../../api/index.ts';
import { createMemoryBackend, Gateway, hashApiKey, loadRoutingFile, type AccountConfig } from '../../../gateway/index.ts';
import { RouterHandle } from '../../../router/index.ts';
import { consoleClient, csrfTokenOf, signedInClient } from '../../support/console-inject.ts';

const KEY = 'console-test-key-0001';
let operatorHash = '';
let viewerHash = '';
let app: FastifyInstance | undefined;
let gateway: Gateway | undefined;

beforeAll(async () => {
  [operatorHash, viewerHash] = await Promise.all([hash('correct horse battery'), hash('viewer pass phrase')]);
});

afterEach(async () => {
  await app?.close();
  await gateway?.stop();
  app = undefined;
  gateway = undefined;
});

function account(extra: Partial<AccountConfig> = {}): AccountConfig {
  return {
    id: 'shop',
    name: 'Shop',
    apiKeyHashes: [hashApiKey(KEY)],
    defaultCountry: 'JP',
    consoleUsers: [
      { name: 'hanako', passwordHash: operatorHash, role: 'operator' },
      { name: 'taro', passwordHash: viewerHash, role: 'viewer' },
    ],
    ...extra,
  };
}

async function setUp(extra: Partial<AccountConfig> = {}, now = () => Date.parse('2026-12-06T01:00:00Z')): Promise<FastifyInstance> {
  gateway = new Gateway({
    backend: createMemoryBackend({ now }),
    router: new RouterHandle(loadRoutingFile(undefined)),
    drivers: [],
    accounts: [account(extra)],
    usage: { timeZone: 'Asia/Tokyo' },
    now,
  });
  app = await buildApp({ gateway, now });
  return app;
}

describe('console sign-in', () => {
  test('a page asked for while signed out goes to sign-in, and back to it after signing in', async () => {
    const api = await setUp();
    const client = consoleClient(api);
    const first = await client.get('/console?x=1');
    expect(first.statusCode).toBe(303);
    expect(first.headers.location).toBe('/console/sign-in?next=%2Fconsole%3Fx%3D1');
    const form = await client.get(first.headers.location as string);
    expect(form.statusCode).toBe(200);
    expect(form.headers['content-security-policy']).toContain("script-src 'self'");
    const answer = await client.post('/console/sign-in', { method: 'password', account: 'shop', name: 'hanako', password: 'correct horse battery', next: '/console?x=1' }, { formPath: '/console/sign-in' });
    expect(answer.statusCode).toBe(303);
    expect(answer.headers.location).toBe('/console?x=1');
    const session = answer.cookies.find((cookie) => cookie.name === 'smsgw_console');
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax', secure: true, path: '/console' });
    const home = await client.get('/console');
    expect(home.statusCode).toBe(200);
    expect(home.body).toContain('hanako');
    expect(home.body).toContain('オペレーター');
  });

  test('a wrong password, an unknown user and an unknown account are refused alike, keeping no secret in the form', async () => {
    const api = await setUp();
    for (const [accountId, name, password] of [['shop', 'hanako', 'wrong'], ['shop', 'nobody', 'x'], ['other', 'hanako', 'correct horse battery']] as const) {
      const client = consoleClient(api);
      const answer = await client.post('/console/sign-in', { method: 'password', account: accountId, name, password }, { formPath: '/console/sign-in' });
      expect(answer.statusCode).toBe(401);
      expect(answer.body).toContain('data-testid="sign-in-refused"');
      expect(answer.body).not.toContain(password === 'x' ? 'value="x"' : `value="${password}"`);
      expect((await client.get('/console')).statusCode).toBe(303);
    }
  });

  test('an API key signs in as an operator, and the key shows nowhere on the page', async () => {
    const api = await setUp();
    const client = await signedInClient(api, { apiKey: KEY });
    const home = await client.get('/console');
    expect(home.statusCode).toBe(200);
    expect(home.body).not.toContain(KEY);
    expect(home.body).toContain('APIキー');
  });

  test('a form without its CSRF token, or with another session’s, is refused with API_CSRF_INVALID', async () => {
    const api = await setUp();
    const client = await signedInClient(api, { account: 'shop', name: 'hanako', password: 'correct horse battery' });
    const bare = await api.inject({ method: 'POST', url: '/console/sign-out', headers: { cookie: client.cookie(), 'content-type': 'application/x-www-form-urlencoded' }, payload: '' });
    expect(bare.statusCode).toBe(403);
    expect(bare.body).toContain('data-code="API_CSRF_INVALID"');
    const stranger = consoleClient(api);
    const foreignToken = csrfTokenOf((await stranger.get('/console/sign-in')).body);
    const foreign = await api.inject({
      method: 'POST',
      url: '/console/sign-out',
      headers: { cookie: client.cookie(), 'content-type': 'application/x-www-form-urlencoded' },
      payload: `_csrf=${encodeURIComponent(foreignToken)}`,
    });
    expect(foreign.statusCode).toBe(403);
    expect((await client.get('/console')).statusCode).toBe(200);
  });

  test('sign-out ends the session', async () => {
    const api = await setUp();
    const client = await signedInClient(api, { account: 'shop', name: 'taro', password: 'viewer pass phrase' });
    const out = await client.post('/console/sign-out', {});
    expect(out.statusCode).toBe(303);
    expect((await client.get('/console')).statusCode).toBe(303);
  });

  test('guessing is limited per account user: the sixth try in 15 minutes is refused even with the right password', async () => {
    const api = await setUp();
    for (let i = 0; i < 5; i += 1) {
      const answer = await consoleClient(api).post('/console/sign-in', { method: 'password', account: 'shop', name: 'hanako', password: `guess-${i}` }, { formPath: '/console/sign-in' });
      expect(answer.statusCode).toBe(401);
    }
    const sixth = await consoleClient(api).post('/console/sign-in', { method: 'password', account: 'shop', name: 'hanako', password: 'correct horse battery' }, { formPath: '/console/sign-in' });
    expect(sixth.statusCode).toBe(429);
    expect(Number(sixth.headers['retry-after'])).toBeGreaterThan(0);
    expect(sixth.body).toContain('ログインの試行回数が多すぎます');
  });

  test('an address outside the account’s allow-list cannot sign in, even with the right password', async () => {
    const api = await setUp({ allowedIps: ['10.0.0.0/8'] });
    const answer = await consoleClient(api).post('/console/sign-in', { method: 'password', account: 'shop', name: 'hanako', password: 'correct horse battery' }, { formPath: '/console/sign-in' });
    expect(answer.statusCode).toBe(401);
  });

  test('a reload that removes the console user ends the session at its next request; a role change applies at once', async () => {
    const api = await setUp();
    const viewer = await signedInClient(api, { account: 'shop', name: 'taro', password: 'viewer pass phrase' });
    expect((await viewer.get('/console')).body).toContain('閲覧者');
    gateway?.accounts.replace([account({ consoleUsers: [{ name: 'taro', passwordHash: viewerHash, role: 'operator' }] })]);
    expect((await viewer.get('/console')).body).toContain('オペレーター');
    gateway?.accounts.replace([account({ consoleUsers: [] })]);
    expect((await viewer.get('/console')).statusCode).toBe(303);
  });

  test('the language follows the browser, then the switch; the switch only goes to console paths', async () => {
    const api = await setUp();
    const client = await signedInClient(api, { apiKey: KEY });
    expect((await client.get('/console', { 'accept-language': 'en-US,en;q=0.9,ja;q=0.5' })).body).toContain('Signed in to Shop');
    expect((await client.get('/console', { 'accept-language': 'fr-FR, ja;q=0.3' })).body).toContain('<html lang="ja">');
    const toJa = await client.get('/console/lang/ja?next=%2Fconsole%2Fusage');
    expect(toJa.headers.location).toBe('/console/usage');
    expect((await client.get('/console', { 'accept-language': 'en' })).body).toContain('<html lang="ja">');
    expect((await client.get('/console/lang/en?next=https%3A%2F%2Fevil.example%2F')).headers.location).toBe('/console');
    expect((await client.get('/console/lang/en?next=%2F%2Fevil.example')).headers.location).toBe('/console');
    expect((await client.get('/console')).body).toContain('<html lang="en">');
  });

  test('the vendor scripts and the stylesheet are served; unknown vendor files are not', async () => {
    const api = await setUp();
    for (const path of ['/console/vendor/htmx.min.js', '/console/vendor/htmx-sse.js', '/console/vendor/chart.umd.min.js', '/console/assets/console.css', '/console/assets/console.js']) {
      const answer = await api.inject({ method: 'GET', url: path });
      expect(answer.statusCode, path).toBe(200);
      expect(answer.body.length, path).toBeGreaterThan(100);
    }
    expect((await api.inject({ method: 'GET', url: '/console/vendor/..%2Fpackage.json' })).statusCode).toBe(404);
  });
});

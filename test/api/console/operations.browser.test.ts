/**
 * The operations and verifications pages in real Chromium against the embedded gateway `npm start` runs (two
 * simulated carriers over SMPP, the virtual modem when socat is installed): both carriers' binds up with their
 * TPS, a carrier's refusal listed live with its code and raw value, a carrier going away shown down without a
 * reload; verification counts after codes were started, checked, canceled and refused through the API.
 */
import { spawnSync } from 'node:child_process';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { screenshot, useChromium } from '../../support/browser.ts';
import { signInToConsole } from '../../support/console-browser.ts';
import { consoleUser, startConsoleGateway, type ConsoleGateway } from '../../support/console-gateway.ts';
import { waitFor } from '../../support/wait-for.ts';

const chromium = useChromium();
const withModem = spawnSync('socat', ['-V'], { stdio: 'ignore' }).status === 0;
let gw: ConsoleGateway;

beforeAll(async () => {
  gw = await startConsoleGateway({
    modem: withModem,
    account: { consoleUsers: [await consoleUser('hanako', 'pass phrase 1', 'operator')], verify: { countries: ['JP'] } },
  });
});

afterAll(async () => {
  await gw?.close();
});

async function api(method: string, path: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${gw.baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${gw.apiKey}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}


const signIn = (page: Page) => signInToConsole(page, { account: gw.accountId, name: 'hanako', password: 'pass phrase 1' });

/** The code the handset at `e164` received last, read off the simulated carrier. */
async function codeAt(e164: string, count: number): Promise<string> {
  const messages = await waitFor(() => {
    const received = gw.smsc.messages({ to: e164.slice(1) });
    return received.length >= count ? received : undefined;
  }, `code ${count} at ${e164}`);
  return /認証コード: ([0-9]+)/.exec(messages.at(-1)?.text ?? '')?.[1] ?? '';
}

describe('verifications page', () => {
  test('counts after verifications started, checked, canceled and refused through the API; the chart drawn', async () => {
    const first = await api('POST', '/v1/verifications', { to: '090-3000-0001' });
    expect(first.status).toBe(201);
    const code = await codeAt('+819030000001', 1);
    expect((await api('POST', `/v1/verifications/${String(first.body.id)}/check`, { code })).body.status).toBe('approved');
    const second = await api('POST', '/v1/verifications', { to: '090-3000-0002' });
    const right = await codeAt('+819030000002', 1);
    expect((await api('POST', `/v1/verifications/${String(second.body.id)}/check`, { code: right === '000000' ? '111111' : '000000' })).body.status).toBe('pending');
    // Again at once: too soon for another code.
    expect((await api('POST', '/v1/verifications', { to: '090-3000-0002' })).status).toBe(429);
    const third = await api('POST', '/v1/verifications', { to: '090-3000-0003' });
    expect((await api('DELETE', `/v1/verifications/${String(third.body.id)}`)).body.status).toBe('canceled');
    expect((await api('POST', '/v1/verifications', { to: '+1 415 555 0100' })).status).toBe(403);

    const page = await chromium.page({ locale: 'ja-JP', baseURL: gw.baseUrl });
    await signIn(page);
    await page.locator('nav.side a[href="/console/verifications"]').click();
    await page.waitForURL('**/console/verifications');
    expect(await page.locator('h1').textContent()).toBe('認証コードの利用状況');
    const figure = (name: string) => page.locator(`[data-testid="${name}"]`).textContent();
    expect(await figure('count-started')).toBe('3');
    expect(await figure('count-sent')).toBe('3');
    expect(await figure('count-approved')).toBe('1');
    expect(await figure('count-failed')).toBe('1');
    expect(await figure('count-canceled')).toBe('1');
    expect(await figure('refused-country')).toBe('1');
    expect(await figure('refused-interval')).toBe('1');
    expect(await figure('conversion')).toBe('33.3%');
    // Chart.js drew the per-day chart on the canvas.
    await waitFor(() => page.evaluate(() => (globalThis as unknown as { Chart: { getChart(id: string): unknown } }).Chart.getChart('ver-chart') !== undefined), 'the chart drawn');
    expect(await page.content()).not.toContain(code);
    await screenshot(page, 'verifications', { readme: true });

    // The English page, from the switch.
    await page.locator('a[hreflang="en"]').click();
    await page.waitForURL('**/console/verifications');
    expect(await page.locator('h1').textContent()).toBe('Verifications');
    expect(await page.locator('tr[data-reason="country"] th').textContent()).toBe('Country not allowed');
  });
});

describe('operations page', () => {
  test("both carriers' binds up with their TPS, a refusal listed live with its code, a carrier going away shown down without a reload", async () => {
    const page = await chromium.page({ locale: 'ja-JP', baseURL: gw.baseUrl });
    await signIn(page);
    // Some traffic on both carriers: docomo numbers go to carrier A, au numbers to carrier B.
    for (let i = 0; i < 4; i++) {
      expect((await api('POST', '/v1/messages', { to: `090-1234-567${i}`, text: `au ${i}` })).status).toBe(202);
      expect((await api('POST', '/v1/messages', { to: `080-1111-222${i}`, text: `docomo ${i}` })).status).toBe(202);
    }
    await page.locator('nav.side a[href="/console/operations"]').click();
    await page.waitForURL('**/console/operations');
    expect(await page.locator('h1').textContent()).toBe('接続状況');

    for (const carrier of ['carrier-a', 'carrier-b']) {
      const article = page.locator(`article[data-connector="${carrier}"]`);
      expect(await article.getAttribute('data-status')).toBe('up');
      expect(await article.locator('[data-testid="connector-status"]').textContent()).toBe('稼働中');
      expect(await article.locator('[data-testid="throughput"]').textContent()).toContain('上限 100 件/秒');
      expect(await article.locator('tr[data-link] th').allTextContents()).toEqual([`${carrier}#1`, `${carrier}#2`]);
      expect(await article.locator('[data-testid="link-status"]').allTextContents()).toEqual(['接続中', '接続中']);
    }
    if (withModem) {
      const modem = page.locator('article[data-connector="modem-pool"]');
      expect(await modem.getAttribute('data-status')).toBe('up');
      expect(await modem.locator('tr[data-link] th .mono').first().textContent()).toMatch(/^[0-9]{15}$/);
      const row = (await modem.locator('tr[data-link]').first().textContent()) ?? '';
      // Registered on its network, with a signal reading and today's count against its cap (none: no cap).
      expect(row).toMatch(/登録済み（ホーム）|ローミング/);
      expect(row).toMatch(/dBm/);
      expect(row).toContain('接続中');
    }
    expect(await page.locator('[data-testid="no-failures"]').count()).toBe(1);

    // Both carriers now refuse +8170 numbers (ESME_RINVDSTADR): the failure appears on the open page by itself.
    for (const carrier of Object.values(gw.smsc.carriers)) carrier.useScenario('invalid-destinations');
    const refused = await api('POST', '/v1/messages', { to: '070-1234-5678', text: 'refused by the carrier' });
    expect(refused.status).toBe(202);
    const row = page.locator(`#ops-failures tr[data-message="${String(refused.body.id)}"]`);
    await row.waitFor({ state: 'visible', timeout: 20_000 });
    expect(await row.locator('[data-testid="failure-code"]').textContent()).toBe('SMPP_SUBMIT_REJECTED');
    expect(await row.locator('[data-testid="failure-raw"]').textContent()).toBe('command_status=0x0000000B');
    expect(await row.textContent()).toContain('送信失敗');
    for (const carrier of Object.values(gw.smsc.carriers)) carrier.useScenario('happy');
    await screenshot(page, 'operations', { readme: true });

    // Carrier B goes away: the page shows it down by itself, without a reload.
    await page.evaluate(() => {
      (globalThis as unknown as { stillHere: boolean }).stillHere = true;
    });
    await gw.smsc.carriers['carrier-b'].close();
    const carrierB = page.locator('article[data-connector="carrier-b"][data-status="down"]');
    await carrierB.waitFor({ state: 'attached', timeout: 20_000 });
    expect(await carrierB.locator('[data-testid="connector-status"]').textContent()).toBe('停止中');
    expect(await carrierB.locator('[data-testid="link-status"]').allTextContents()).not.toContain('接続中');
    expect(await page.locator('article[data-connector="carrier-a"]').getAttribute('data-status')).toBe('up');
    expect(await page.locator('[data-testid="ops-summary"]').textContent()).toContain('停止中の接続先あり');
    expect(await page.evaluate(() => (globalThis as unknown as { stillHere?: boolean }).stillHere)).toBe(true);
    await screenshot(page, 'operations-carrier-down');
  });
});

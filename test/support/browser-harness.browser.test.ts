/**
 * The harness of the console's browser tests, proven on what exists without the console: the embedded gateway
 * (console-gateway.ts) with Swagger UI at /docs, opened in real headless Chromium (browser.ts) in Japanese, a
 * screenshot saved, and a message sent from the page with the harness's API key arriving at the simulated carrier.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { verify } from '@node-rs/argon2';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { chromiumPath, README_SCREENSHOT_DIR, SCREENSHOT_DIR, screenshot, screenshotPaths, useChromium } from './browser.ts';
import { consoleUser, startConsoleGateway, type ConsoleGateway } from './console-gateway.ts';
import { waitFor } from './wait-for.ts';

const PNG_SIGNATURE = '89504e470d0a1a0a';

const chromium = useChromium();
let gw: ConsoleGateway;

beforeAll(async () => {
  gw = await startConsoleGateway();
});

afterAll(async () => {
  await gw?.close();
});

describe('Chromium against the console gateway', () => {
  test('Swagger UI at /docs renders in a ja-JP browser in Tokyo time, and its full-page screenshot is saved', async () => {
    const page = await chromium.page({ locale: 'ja-JP', baseURL: gw.baseUrl });
    const response = await page.goto('/docs');
    expect(response?.status()).toBe(200);
    const title = page.locator('.swagger-ui .info .title');
    await title.waitFor({ state: 'visible' });
    expect(await title.textContent()).toContain('smsgw');
    // The send operation is listed, as a reader of the docs finds it.
    await page.locator('.opblock-summary-path', { hasText: '/v1/messages' }).first().waitFor({ state: 'visible' });
    expect(await page.evaluate(() => [navigator.language, Intl.DateTimeFormat().resolvedOptions().timeZone])).toEqual(['ja-JP', 'Asia/Tokyo']);

    const [path, ...more] = await screenshot(page, 'harness-swagger-ui');
    expect(more).toEqual([]);
    expect(path).toBe(join(SCREENSHOT_DIR, 'harness-swagger-ui.png'));
    const png = readFileSync(path ?? '');
    expect(png.subarray(0, 8).toString('hex')).toBe(PNG_SIGNATURE);
    // The viewport's width, and the whole page's height rather than the viewport's 800 px (IHDR at bytes 16 and 20).
    expect(png.readUInt32BE(16)).toBe(1280);
    expect(png.readUInt32BE(20)).toBeGreaterThan(800);
  });

  test('a message sent from the page with the harness API key arrives at the simulated carrier', async () => {
    const page = await chromium.page({ locale: 'en-US', baseURL: gw.baseUrl });
    await page.goto('/docs');
    const text = `ブラウザから送信 ${Date.now()}`;
    const sent = await page.evaluate(
      async ({ apiKey, body }) => {
        const r = await fetch('/v1/messages', { method: 'POST', headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
        return { status: r.status, body: (await r.json()) as { id: string; carrier: string; to: string } };
      },
      { apiKey: gw.apiKey, body: { to: '090-1234-5678', text } },
    );
    expect(sent.status).toBe(202);
    expect(sent.body).toMatchObject({ to: '+819012345678', carrier: 'au' });
    // au numbers go to carrier B in the embedded routing.
    const received = await waitFor(() => gw.smsc.messages({ text })[0], 'the message at the simulated carrier');
    expect(received).toMatchObject({ carrier: 'carrier-b', text, encoding: 'ucs2', parts: 1, complete: true });
    expect(received.to).toMatch(/819012345678$/);
    expect(gw.smsc.carriers['carrier-a'].messages({ text })).toEqual([]);
    const delivered = await waitFor(async () => {
      const message = await gw.gateway.messages.get(gw.accountId, sent.body.id);
      return message.status === 'delivered' ? message : undefined;
    }, 'the message delivered');
    expect(delivered.status).toBe('delivered');
  });
});

describe('harness pieces', () => {
  test('screenshot paths: artifacts always; docs/screenshots only for a README screenshot with UPDATE_README_SCREENSHOTS=1', () => {
    expect(screenshotPaths('console-send', false, { UPDATE_README_SCREENSHOTS: '1' })).toEqual([join(SCREENSHOT_DIR, 'console-send.png')]);
    expect(screenshotPaths('console-send', true, {})).toEqual([join(SCREENSHOT_DIR, 'console-send.png')]);
    expect(screenshotPaths('console-send', true, { UPDATE_README_SCREENSHOTS: '1' })).toEqual([
      join(SCREENSHOT_DIR, 'console-send.png'),
      join(README_SCREENSHOT_DIR, 'console-send.png'),
    ]);
    expect(() => screenshotPaths('../escape', false)).toThrow(/lower-case letters/);
  });

  test('a missing Chromium is named, with how to install it', () => {
    expect(() => chromiumPath({ CHROMIUM_PATH: '/nonexistent/chromium' })).toThrow(/no Chromium at \/nonexistent\/chromium \(CHROMIUM_PATH\).*setup:test/s);
  });

  test('consoleUser hashes the password into an argon2id PHC string that verifies', async () => {
    const user = await consoleUser('sato', 'correct horse', 'viewer');
    expect(user).toMatchObject({ name: 'sato', role: 'viewer' });
    expect(user.passwordHash).toMatch(/^\$argon2id\$v=19\$/);
    expect(await verify(user.passwordHash, 'correct horse')).toBe(true);
    expect(await verify(user.passwordHash, 'wrong')).toBe(false);
  });
});

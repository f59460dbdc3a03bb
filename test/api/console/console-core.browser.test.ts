/**
 * The console's door in a real browser: sign-in with a console user, the language switch (browser language
 * first, then the switch), sign-out, a forged form refused for its missing CSRF token, a viewer refused what
 * changes state, and an accessibility audit (axe-core, WCAG 2 A/AA: labels, contrast, landmarks) of the pages.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { CONSOLE_NAV } from '../../../api/console/console-nav.ts';
import { screenshot, useChromium } from '../../support/browser.ts';
import { axeViolations } from '../../support/console-browser.ts';
import { consoleUser, startConsoleGateway, type ConsoleGateway } from '../../support/console-gateway.ts';


const chromium = useChromium();
let gw: ConsoleGateway;

beforeAll(async () => {
  gw = await startConsoleGateway({
    account: { consoleUsers: [await consoleUser('hanako', 'correct horse battery', 'operator'), await consoleUser('taro', 'viewer pass phrase', 'viewer')] },
  });
});

afterAll(async () => {
  await gw?.close();
});

async function signIn(page: Page, name: string, password: string): Promise<void> {
  await page.goto('/console');
  await page.getByLabel(/^(アカウントID|Account ID)$/).fill(gw.accountId);
  await page.getByLabel(/^(ユーザー名|User name)$/).fill(name);
  await page.getByLabel(/^(パスワード|Password)$/).fill(password);
  await page.locator('form:has(input[name="password"]) button[type="submit"]').click();
  await page.waitForURL(/\/console$/);
}



describe('console in Chromium', () => {
  test('sign in as an operator in Japanese, switch to English and back, sign out', async () => {
    const page = await chromium.page({ locale: 'ja-JP', baseURL: gw.baseUrl });
    await page.goto('/console');
    expect(page.url()).toContain('/console/sign-in');
    expect(await page.locator('h1').textContent()).toBe('ログイン');
    await screenshot(page, 'console-sign-in', { readme: true });
    await signIn(page, 'hanako', 'correct horse battery');
    expect(await page.getByTestId('who').textContent()).toContain('hanako');
    expect(await page.locator('nav.side').textContent()).toContain('配信停止リスト');
    await page.getByRole('link', { name: 'English' }).click();
    await page.waitForURL(/\/console$/);
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    expect(await page.locator('nav.side').textContent()).toContain('Suppression list');
    await page.getByRole('link', { name: '日本語' }).click();
    expect(await page.locator('h1').textContent()).toBe('ホーム');
    await page.getByRole('button', { name: 'ログアウト' }).click();
    await page.waitForURL(/\/console\/sign-in$/);
    await page.goto('/console');
    expect(page.url()).toContain('/console/sign-in');
  });

  test('an English browser gets English first; a wrong password is refused in English', async () => {
    const page = await chromium.page({ locale: 'en-US', baseURL: gw.baseUrl });
    await page.goto('/console/sign-in');
    expect(await page.locator('h1').textContent()).toBe('Sign in');
    await page.getByLabel('Account ID').fill(gw.accountId);
    await page.getByLabel('User name').fill('hanako');
    await page.getByLabel('Password', { exact: true }).fill('wrong password');
    await page.locator('form:has(input[name="password"]) button[type="submit"]').click();
    await expect.poll(() => page.getByTestId('sign-in-refused').textContent()).toContain('are not right');
    expect(await page.getByLabel('Password', { exact: true }).inputValue()).toBe('');
  });

  test('a form posted without the page’s CSRF token is refused with API_CSRF_INVALID, and the session stays', async () => {
    const page = await chromium.page({ locale: 'ja-JP', baseURL: gw.baseUrl });
    await signIn(page, 'hanako', 'correct horse battery');
    // What a forged cross-site form would send: the browser's cookie, no token.
    const status = await page.evaluate(async () => (await fetch('/console/sign-out', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: '' })).status);
    expect(status).toBe(403);
    await page.goto('/console');
    expect(page.url()).toMatch(/\/console$/);
    expect(await page.getByTestId('who').textContent()).toContain('hanako');
  });

  test('a viewer sees the console read-only and is refused what changes state', async () => {
    const page = await chromium.page({ locale: 'ja-JP', baseURL: gw.baseUrl });
    await signIn(page, 'taro', 'viewer pass phrase');
    expect(await page.getByTestId('who').textContent()).toContain('閲覧者');
    // Any operator-only route answers 403 API_ROLE_FORBIDDEN to a viewer with a valid token; the send page is one.
    const token = await page.locator('input[name="_csrf"]').first().inputValue();
    const answer = await page.evaluate(async (csrf) => {
      const response = await fetch('/console/send', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-csrf-token': csrf }, body: 'to=09012345678&text=hi' });
      return { status: response.status, body: await response.text() };
    }, token);
    expect(answer.status).toBe(403);
    expect(answer.body).toContain('API_ROLE_FORBIDDEN');
  });

  test('every page passes the WCAG 2 A/AA audit (labels, contrast, landmarks)', async () => {
    const page = await chromium.page({ locale: 'ja-JP', baseURL: gw.baseUrl });
    await page.goto('/console/sign-in');
    expect(await axeViolations(page)).toEqual([]);
    await signIn(page, 'hanako', 'correct horse battery');
    for (const entry of CONSOLE_NAV) {
      const response = await page.goto(entry.href);
      expect(response?.status(), entry.href).toBe(200);
      expect(await axeViolations(page), entry.href).toEqual([]);
    }
  });
});

/**
 * The suppression list in real Chromium against the embedded gateway: an operator adds a number with a reason,
 * a send to it through the API is refused with GW_RECIPIENT_SUPPRESSED, its consent record shows who did what
 * and when; a CSV import reports its bad row by line; lifting (after the confirmation) lets a send reach the
 * carrier. A viewer sees the list without the forms. Screenshots: the list (README), the record, the import result.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { screenshot, useChromium } from '../../support/browser.ts';
import { signInToConsole } from '../../support/console-browser.ts';
import { consoleUser, startConsoleGateway, type ConsoleGateway } from '../../support/console-gateway.ts';
import { waitFor } from '../../support/wait-for.ts';

const chromium = useChromium();
let gw: ConsoleGateway;

beforeAll(async () => {
  gw = await startConsoleGateway({
    account: { consoleUsers: [await consoleUser('hanako', 'pass phrase 1', 'operator'), await consoleUser('taro', 'pass phrase 2', 'viewer')] },
  });
});

afterAll(async () => {
  await gw?.close();
});


const signIn = (page: Page, name: string, password: string) => signInToConsole(page, { account: gw.accountId, name, password });

/** POST /v1/messages from the page with the harness's API key. */
async function sendFrom(page: Page, to: string, text: string): Promise<{ status: number; body: { code?: string; id?: string } }> {
  return page.evaluate(
    async ({ apiKey, body }) => {
      const r = await fetch('/v1/messages', { method: 'POST', headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      return { status: r.status, body: (await r.json()) as { code?: string; id?: string } };
    },
    { apiKey: gw.apiKey, body: { to, text } },
  );
}

describe('suppression list in Chromium', () => {
  test('added with a reason, a send is refused; the consent record shows it; lifted, a send goes through', async () => {
    const page = await chromium.page({ locale: 'ja-JP', baseURL: gw.baseUrl });
    await signIn(page, 'hanako', 'pass phrase 1');
    await page.click('nav.side a[href="/console/suppressions"]');
    await page.waitForURL('**/console/suppressions');
    expect(await page.locator('h1').textContent()).toBe('配信停止リスト');

    // Add a number (national form) with a reason and a note.
    await page.fill('#add-number', '090-2222-3333');
    await page.selectOption('#add-reason', 'complaint');
    await page.fill('#add-note', 'コールセンターで受付');
    await Promise.all([page.waitForURL('**/console/suppressions/%2B819022223333?done=added'), page.click('[data-testid="add-form"] button[type="submit"]')]);
    await page.locator('[data-testid="done"]').waitFor();
    const entries = await page.locator('[data-testid="entries"]').innerText();
    expect(entries).toContain('配信停止中');
    expect(entries).toContain('苦情');
    expect(entries).toContain('管理画面 (hanako)');

    // The same number in another form is refused at submit.
    const text = `配信停止の確認 ${Date.now()}`;
    const refused = await sendFrom(page, '+81 90 2222 3333', text);
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('GW_RECIPIENT_SUPPRESSED');

    // The consent record: one suppression by the console's operator, with the reason and note.
    const record = page.locator('[data-testid="consent-record"]');
    expect(await record.locator('tbody tr').count()).toBe(1);
    const first = await record.locator('tbody tr').first().innerText();
    expect(first).toContain('配信停止');
    expect(first).toContain('苦情');
    expect(first).toContain('コールセンターで受付');
    expect(first).toMatch(/\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}:\d{2}/);
    await screenshot(page, 'suppressions-record');

    // Import a file with one bad row: the good rows are applied and the bad one is named by its line.
    await page.goto('/console/suppressions');
    await page.selectOption('#import-reason', 'opt-out');
    await page.setInputFiles('#import-file', {
      name: '配信停止_2026.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('\uFEFFnumber,note\r\n080-4444-5555,店頭で申し出\r\n070-1012-3456,\r\n090-12,桁不足\r\n+819077778888,メール返信\r\n'),
    });
    await Promise.all([page.waitForURL('**/console/suppressions/import'), page.click('[data-testid="import-form"] button[type="submit"]')]);
    expect(await page.locator('[data-testid="added"]').innerText()).toBe('3');
    expect(await page.locator('[data-testid="refused"]').innerText()).toBe('1');
    const bad = page.locator('[data-testid="row-errors"] tbody tr');
    expect(await bad.count()).toBe(1);
    expect(await bad.first().getAttribute('data-line')).toBe('4');
    expect(await bad.first().innerText()).toContain('電話番号 (number)');
    await screenshot(page, 'suppressions-import');

    await page.click('text=配信停止リストへ戻る');
    await page.waitForURL('**/console/suppressions');
    expect(await page.locator('[data-testid="count"]').innerText()).toBe('全 4 件');
    expect(await page.locator('[data-testid="suppression-list"] tbody tr').count()).toBe(4);
    await screenshot(page, 'suppressions-list', { readme: true });

    // Search by a national form; lift after the confirmation; the record keeps both changes.
    await page.fill('#q', '09022223333');
    await Promise.all([page.waitForURL('**/console/suppressions/%2B819022223333'), page.click('form[role="search"] button[type="submit"]')]);
    await Promise.all([page.waitForURL('**/lift'), page.click('[data-testid="lift"]')]);
    expect(await page.locator('.alert.warn').innerText()).toContain('+819022223333 の配信停止を解除しますか?');
    await page.fill('#lift-note', '本人から再開の依頼');
    await Promise.all([page.waitForURL('**/console/suppressions/%2B819022223333?done=lifted'), page.click('[data-testid="confirm-lift"]')]);
    await page.locator('[data-testid="not-suppressed"]').waitFor();
    const rows = record.locator('tbody tr');
    expect(await rows.count()).toBe(2);
    expect(await rows.nth(0).getAttribute('data-action')).toBe('suppressed');
    expect(await rows.nth(1).getAttribute('data-action')).toBe('lifted');
    expect(await rows.nth(1).innerText()).toContain('本人から再開の依頼');

    const sent = await sendFrom(page, '090-2222-3333', text);
    expect(sent.status).toBe(202);
    const received = await waitFor(() => gw.smsc.messages({ text })[0], 'the message at the simulated carrier');
    expect(received.to).toMatch(/819022223333$/);
  });

  test('a viewer reads the list and the records, without the forms that change them', async () => {
    const page = await chromium.page({ locale: 'en-US', baseURL: gw.baseUrl });
    await signIn(page, 'taro', 'pass phrase 2');
    await page.goto('/console/suppressions');
    expect(await page.locator('h1').textContent()).toBe('Suppression list');
    expect(await page.locator('[data-testid="add-form"]').count()).toBe(0);
    expect(await page.locator('[data-testid="import-form"]').count()).toBe(0);
    await page.click('[data-testid="suppression-list"] tbody tr >> nth=0 >> a');
    await page.locator('[data-testid="consent-record"]').waitFor();
    expect(await page.locator('[data-testid="lift"]').count()).toBe(0);
    // The lift page itself refuses a viewer.
    const response = await page.goto(`${page.url()}/lift`);
    expect(response?.status()).toBe(403);
    expect(await page.locator('[data-testid="error"]').getAttribute('data-code')).toBe('API_ROLE_FORBIDDEN');
  });
});

/**
 * A CSV campaign from upload to completion in real Chromium, against the embedded gateway and its SMSC
 * simulators: a Shift_JIS file with good rows and one bad row uploaded, the phone column mapped, a template
 * written with a variable button, the preview (the bad row's line, the totals), the campaign created and started,
 * its progress followed live (server-sent events, no reload) to completed with every good row delivered, the
 * recipient table showing delivery times, and the simulated carriers having received exactly the good rows.
 */
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { screenshot, useChromium } from '../../support/browser.ts';
import { axeViolations } from '../../support/console-browser.ts';
import { consoleUser, startConsoleGateway, type ConsoleGateway } from '../../support/console-gateway.ts';


const chromium = useChromium();
let gw: ConsoleGateway;

beforeAll(async () => {
  gw = await startConsoleGateway({ account: { consoleUsers: [await consoleUser('hanako', 'pass phrase 1', 'operator')] } });
});

afterAll(async () => {
  await gw?.close();
});

// docomo numbers go to carrier A, au numbers to carrier B in the embedded routing; line 4 is the bad row.
const GOOD = [
  { name: '山田', phone: '090-1000-0001', e164: '819010000001' },
  { name: '佐藤', phone: '090-1234-5678', e164: '819012345678' },
  { name: '鈴木', phone: '080-1000-0004', e164: '818010000004' },
] as const;



describe('a campaign in the console', () => {
  test('upload, map, preview, create and start, then live progress to completed', async () => {
    const marker = `CP${Date.now() % 100_000}`;
    const csv = iconv.encode(
      ['氏名,電話番号,会員番号', `${GOOD[0].name},${GOOD[0].phone},A-1`, `${GOOD[1].name},${GOOD[1].phone},A-2`, '田中,0120-abc,A-3', `${GOOD[2].name},${GOOD[2].phone},A-4`].join('\r\n'),
      'cp932',
    );
    const page = await chromium.page({ locale: 'ja-JP', baseURL: gw.baseUrl });
    await page.goto('/console/sign-in?next=%2Fconsole%2Fcampaigns');
    await page.locator('#account').fill(gw.accountId);
    await page.locator('#name').fill('hanako');
    await page.locator('#password').fill('pass phrase 1');
    await page.locator('form[aria-labelledby="with-password"] button[type="submit"]').click();
    await page.waitForURL('**/console/campaigns');
    await page.getByTestId('new-campaign').click();
    await page.waitForURL('**/console/campaigns/new');
    expect(await axeViolations(page)).toEqual([]);

    // 1. The file: its columns come back, the phone column chosen by its name.
    await page.locator('#file').setInputFiles({ name: '会員リスト.csv', mimeType: 'text/csv', buffer: csv });
    await page.getByTestId('columns-read').waitFor();
    expect(await page.getByTestId('columns-read').textContent()).toContain('4行を読み込みました (文字コード: Shift_JIS)');
    expect(await page.locator('#phoneColumn').inputValue()).toBe('電話番号');
    // The phone column is no variable; the other columns are.
    expect(await page.locator('[data-column="電話番号"]').isHidden()).toBe(true);
    expect(await page.locator('[data-column="氏名"]').isVisible()).toBe(true);

    // 2. The template, with a variable put in by its button where the cursor is.
    await page.locator('#template').fill(`${marker} `);
    await page.locator('#template').press('End');
    await page.locator('[data-column="氏名"]').click();
    await page.locator('#template').pressSequentially('様 会員番号');
    await page.locator('[data-column="会員番号"]').click();
    expect(await page.locator('#template').inputValue()).toBe(`${marker} {{氏名}}様 会員番号{{会員番号}}`);
    await page.locator('#name').fill('ブラウザからの一斉送信');

    // 3. The preview: the bad row by its line, column and reason; the totals; the rendered texts.
    await page.getByTestId('preview-button').click();
    await page.getByTestId('preview').waitFor();
    const error = page.getByTestId('preview-error');
    expect(await error.count()).toBe(1);
    expect(await error.getAttribute('data-line')).toBe('4');
    expect(await error.getAttribute('data-code')).toBe('CAMPAIGN_INVALID_NUMBER');
    expect(await error.textContent()).toContain('電話番号が正しくありません');
    expect(await error.locator('td').first().textContent()).toBe('電話番号');
    expect(await page.getByTestId('rows-total').textContent()).toBe('4');
    expect(await page.getByTestId('rows-valid').textContent()).toBe('3');
    expect(await page.getByTestId('rows-refused').textContent()).toBe('1');
    expect(await page.getByTestId('preview-messages').textContent()).toBe('3');
    expect(await page.getByTestId('preview-segments').textContent()).toBe('3');
    expect(await page.getByTestId('preview-price').textContent()).toMatch(/￥|¥/);
    const carriers: Record<string, number> = {};
    for (const cell of await page.locator('[data-carrier]').all()) carriers[(await cell.getAttribute('data-carrier')) ?? ''] = Number(await cell.textContent());
    expect(carriers).toEqual({ docomo: 2, au: 1 });
    expect(await page.getByTestId('preview-sample-row').first().textContent()).toContain(`${marker} 山田様 会員番号A-1`);
    await screenshot(page, 'campaigns-preview', { readme: true });
    expect(await axeViolations(page)).toEqual([]);

    // Editing what the preview counted takes its create button away until the next preview.
    await page.locator('#template').press('End');
    await page.locator('#template').pressSequentially('!');
    await page.getByTestId('preview-stale').waitFor();
    expect(await page.getByTestId('create-button').count()).toBe(0);
    await page.locator('#template').press('Backspace');
    await page.getByTestId('preview-button').click();
    await page.getByTestId('create-button').waitFor();

    // 4. Create: it starts at once (the default), and the page goes to the campaign.
    await page.getByTestId('create-button').click();
    await page.waitForURL(/\/console\/campaigns\/[0-9a-f-]{36}\?created=1$/);
    await page.getByTestId('campaign-created').waitFor();
    // A mark on this document: a reload would take it away.
    await page.evaluate("document.body.setAttribute('data-loaded-once', 'yes')");

    // 5. Live: completed with the three delivered, without a reload.
    await page.locator('[data-testid="campaign-progress"][data-state="completed"]').waitFor({ timeout: 30_000 });
    await page.locator('[data-testid="count-delivered"]', { hasText: /^3$/ }).waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('campaign-percent').textContent()).toBe('100%');
    expect(await page.getByTestId('count-failed').textContent()).toBe('0');
    expect(await page.locator('body').getAttribute('data-loaded-once')).toBe('yes');

    // 6. The recipient table, refreshed by the same stream: every row delivered, with its time.
    await page.locator('[data-testid="recipient-row"][data-status="delivered"]').nth(2).waitFor({ timeout: 30_000 });
    const rows = page.getByTestId('recipient-row');
    expect(await rows.count()).toBe(3);
    for (const final of await page.getByTestId('recipient-final').allTextContents()) expect(final).toMatch(/^\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}:\d{2}$/);
    expect(await page.locator('body').getAttribute('data-loaded-once')).toBe('yes');
    await screenshot(page, 'campaigns-detail', { readme: true });
    expect(await axeViolations(page)).toEqual([]);

    // 7. The carriers got exactly the good rows, each once, with its own values.
    const received = gw.smsc.messages({ text: marker });
    expect(received).toHaveLength(3);
    expect(received.map((message) => message.to.replace(/^\+/, '')).sort()).toEqual(GOOD.map((row) => row.e164).sort());
    for (const row of GOOD) expect(received.find((message) => message.to.endsWith(row.e164))?.text).toContain(`${row.name}様`);
    expect(received.some((message) => message.text.includes('田中'))).toBe(false);

    // The list shows it completed.
    await page.goto('/console/campaigns');
    expect(await page.getByTestId('campaign-row').first().textContent()).toContain('完了');
    expect(await axeViolations(page)).toEqual([]);
  });
});

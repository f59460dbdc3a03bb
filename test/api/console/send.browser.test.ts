/**
 * The send page and a message's timeline in real Chromium against the embedded gateway and its SMSC simulators:
 * the live counter on a Japanese text crossing 70 characters (one UCS-2 part, then two, by docomo's rules for a
 * docomo number), the recipient's carrier and route before sending, the message arriving at the simulated carrier,
 * and its timeline page turning to delivered with the SMSC's message id. A viewer gets no form, and a forged POST
 * is refused. README screenshots: the send page with its counter, and the timeline.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { screenshot, useChromium } from '../../support/browser.ts';
import { axeViolations, signInToConsole } from '../../support/console-browser.ts';
import { consoleUser, startConsoleGateway, type ConsoleGateway } from '../../support/console-gateway.ts';
import { waitFor } from '../../support/wait-for.ts';

const chromium = useChromium();
let gw: ConsoleGateway;

/** 71 characters of Japanese: the first 70 fit one UCS-2 part, the 71st makes two. */
const TEXT = '【冬のセール】いつもご利用いただきありがとうございます。本日から一月末まで、店頭とオンラインストアの全商品を二割引でご提供しています。お早めに';
const DOCOMO = '080-1234-5678';

beforeAll(async () => {
  gw = await startConsoleGateway({
    account: { consoleUsers: [await consoleUser('hanako', 'pass phrase 1', 'operator'), await consoleUser('taro', 'pass phrase 2', 'viewer')] },
  });
});

afterAll(async () => {
  await gw?.close();
});




const counter = (page: Page, id: string) => page.locator(`#send-counter [data-testid="${id}"]`);

const signIn = (page: Page, name: string, password: string, next: string) => signInToConsole(page, { account: gw.accountId, name, password, next });

describe('sending from the console', () => {
  test('the live counter crosses 70 → 2 parts by docomo’s rules, the message reaches the SMSC, and its timeline shows it delivered', async () => {
    expect(TEXT).toHaveLength(71);
    const page = await chromium.page({ locale: 'ja-JP', baseURL: gw.baseUrl });
    await signIn(page, 'hanako', 'pass phrase 1', '/console/send');
    await expect(page.locator('h1').textContent()).resolves.toBe('メッセージ送信');

    // The recipient first: its carrier and route come from the gateway before anything is sent.
    await page.locator('#send-to').pressSequentially(DOCOMO);
    await page.locator('[data-testid="route-carrier"]', { hasText: 'docomo' }).waitFor();
    expect(await page.locator('[data-testid="route-number"]').textContent()).toBe('+818012345678');
    expect(await page.locator('[data-testid="route-route"]').textContent()).toBe('carrier-a');
    expect(await page.locator('[data-testid="route-connector"]').textContent()).toContain('carrier-a');

    // 70 characters: one UCS-2 part.
    await page.locator('#send-text').fill(TEXT.slice(0, 70));
    await counter(page, 'counter-characters').filter({ hasText: /^70$/ }).waitFor();
    expect(await counter(page, 'counter-parts').textContent()).toBe('1');
    expect(await counter(page, 'counter-encoding').textContent()).toBe('UCS-2');
    const rule = (await counter(page, 'counter-rule').textContent())?.replace(/\s+/g, ' ').trim();
    expect(rule).toContain('docomo の規則で計算: 1 通なら 70 文字まで、分割すると 1 通 66 文字、最大 10 通');
    expect(rule).toContain('660 文字');
    expect(await counter(page, 'counter-remaining').textContent()).toBe('最後の通の残り: 0 文字');

    // The 71st, typed: two parts of 66 on docomo.
    await page.locator('#send-text').press('End');
    await page.keyboard.type(TEXT.slice(70));
    await counter(page, 'counter-parts').filter({ hasText: /^2$/ }).waitFor();
    expect(await counter(page, 'counter-characters').textContent()).toBe('71');
    expect(await counter(page, 'counter-encoding').textContent()).toBe('UCS-2');
    expect(await counter(page, 'counter-remaining').textContent()).toBe('最後の通の残り: 61 文字');
    expect(await counter(page, 'counter-price').textContent()).toBe('概算料金: 6.4 JPY');
    await screenshot(page, 'console-send', { readme: true });

    await page.locator('#send-form button[type="submit"]').click();
    const accepted = page.locator('[data-testid="send-accepted"]');
    await accepted.waitFor();
    const id = (await accepted.getAttribute('data-id')) ?? '';
    expect(await accepted.textContent()).toContain('送信を受け付けました');

    const received = await waitFor(() => gw.smsc.messages({ text: TEXT })[0], 'the message at the simulated carrier');
    expect(received).toMatchObject({ carrier: 'carrier-a', encoding: 'ucs2', parts: 2, complete: true });
    expect(received.to).toMatch(/818012345678$/);

    await Promise.all([page.waitForURL(`**/console/messages/${id}`), page.locator('[data-testid="send-accepted-link"]').click()]);
    // The page polls itself until the message is final.
    await page.locator('#message-live[data-status="delivered"]').waitFor();
    expect(await page.locator('[data-testid="message-segments"]').textContent()).toBe('2');
    const smscIds = await page.locator('[data-testid="part-smsc-id"]').allTextContents();
    expect(smscIds).toEqual(received.messageIds);
    expect(await page.locator('[data-testid="part-status"]').allTextContents()).toEqual(['配信済み', '配信済み']);
    expect(await page.locator('[data-testid="part-raw"]').first().textContent()).toContain('stat: DELIVRD');
    expect(await page.locator('[data-testid="message-timeline"] tr[data-event="delivered"]').count()).toBe(1);
    expect(await page.locator('[data-testid="message-price"]').textContent()).toBe('6.4 JPY');
    await screenshot(page, 'console-message-timeline', { readme: true });

    // The message is found by its number, in any form, and not by another.
    await page.goto('/console/messages');
    const search = async (to: string): Promise<void> => {
      await page.locator('#m-to').fill(to);
      await Promise.all([page.waitForURL((url) => url.searchParams.get('to') === to), page.locator('form[role="search"] button[type="submit"]').click()]);
    };
    await search('090-1234-5678');
    await page.locator('[data-testid="messages-empty"]').waitFor();
    await search('+818012345678');
    await page.locator(`#message-results tr[data-id="${id}"]`).waitFor();
    expect(await page.locator('#message-results tbody tr').count()).toBe(1);
    await screenshot(page, 'console-messages-search');
  });

  test('a viewer gets no send form, and a forged POST with the page’s own token is refused with 403 API_ROLE_FORBIDDEN', async () => {
    const page = await chromium.page({ locale: 'ja-JP', baseURL: gw.baseUrl });
    await signIn(page, 'taro', 'pass phrase 2', '/console/send');
    await page.locator('[data-testid="send-viewer"]').waitFor();
    expect(await page.locator('#send-form').count()).toBe(0);
    expect(await page.locator('textarea').count()).toBe(0);
    const token = /"x-csrf-token": "([^"]+)"/.exec((await page.locator('body').getAttribute('hx-headers')) ?? '')?.[1] ?? '';
    expect(token).not.toBe('');
    const forged = await page.evaluate(
      async ({ to, csrf }) => {
        const response = await fetch('/console/send', {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-csrf-token': csrf, 'hx-request': 'true' },
          body: new URLSearchParams({ to, text: 'forged by a viewer' }).toString(),
        });
        return { status: response.status, body: await response.text() };
      },
      { to: DOCOMO, csrf: token },
    );
    expect(forged.status).toBe(403);
    expect(forged.body).toContain('data-code="API_ROLE_FORBIDDEN"');
    expect(gw.smsc.messages({ text: 'forged by a viewer' })).toEqual([]);
  });

  test('an MO from the SMSC shows on the inbound page, and the send, messages, message and inbound pages pass the WCAG audit', async () => {
    const text = `こんにちは、問い合わせです ${Date.now()}`;
    await gw.smsc.carriers['carrier-b'].injectMo({ from: '+819011112222', to: '12345', text });
    const page = await chromium.page({ locale: 'ja-JP', baseURL: gw.baseUrl });
    await signIn(page, 'hanako', 'pass phrase 1', '/console/inbound');
    await waitFor(async () => {
      await page.reload();
      return (await page.locator('[data-testid="inbound-table"]', { hasText: text }).count()) > 0;
    }, 'the MO on the inbound page');
    expect(await page.locator('[data-testid="inbound-table"] tbody tr', { hasText: text }).locator('td').nth(1).textContent()).toBe('+819011112222');
    expect(await axeViolations(page), '/console/inbound').toEqual([]);

    await page.goto('/console/send');
    await page.locator('#send-to').fill('090-1234-5678');
    await page.locator('#send-text').fill('Sale – today only\u0001');
    await page.locator('[data-testid="counter-controls"]').waitFor();
    await page.locator('[data-testid="route-carrier"]', { hasText: 'au' }).waitFor();
    expect(await axeViolations(page), '/console/send').toEqual([]);

    const sent = await gw.gateway.messages.submit(gw.accountId, { to: '090-1234-5678', text: 'audit me', clientRef: 'audit-1' });
    await page.goto('/console/messages?clientRef=audit-1');
    await page.locator(`tr[data-id="${sent.id}"]`).waitFor();
    expect(await axeViolations(page), '/console/messages').toEqual([]);
    await page.goto(`/console/messages/${sent.id}`);
    await page.locator('[data-testid="message-timeline"]').waitFor();
    expect(await axeViolations(page), '/console/messages/:id').toEqual([]);
  });
});

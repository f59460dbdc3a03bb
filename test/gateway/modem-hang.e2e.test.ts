/**
 * A hung modem behind the whole gateway, over a real pty (the virtual modem through socat): the messages it
 * cannot take are accepted and held, uncounted, for as long as it is down (never failed), and go out once each,
 * in submit order, when it answers again. A message whose AT+CMGS was written but never answered is unknown
 * (final, never resent); the messages behind it are held and delivered after the recovery.
 */
import { afterEach, describe, expect, test } from 'vitest';
import type { ModemPool } from '../../drivers/modem/index.ts';
import { isFinalMessageStatus, type AcceptedMessage, type Gateway, type MessageRecord } from '../../gateway/index.ts';
import { waitFor } from '../support/wait-for.ts';
import { CONNECTOR, ModemGatewayHarness, type ModemGateway } from './modem-gateway-harness.ts';

/** Retries that would fail a message within a second: only holding keeps it alive through the hang. */
const RETRY = { maxAttempts: 3, baseDelayMs: 50, maxDelayMs: 200 };
/** Longer than the ~3 s in which the old behaviour failed every message with MODEM_NO_MODEM_AVAILABLE. */
const HANG_WINDOW_MS = 4_000;

const harness = new ModemGatewayHarness();
afterEach(() => harness.tearDown());

function setUp(): Promise<ModemGateway> {
  return harness.setUp({
    retry: RETRY,
    pool: {
      ratePerMinute: 600,
      reconnect: { initialMs: 50, maxMs: 300 },
      timeouts: { default: 800, '+CMGS': 1_500 },
      promptTimeoutMs: 800,
      softResetAfter: 2,
    },
  });
}

const texts = Array.from({ length: 5 }, (_, i) => `held through the hang ${i}`);

async function submitAll(gw: Gateway): Promise<AcceptedMessage[]> {
  const accepted: AcceptedMessage[] = [];
  for (const [i, text] of texts.entries()) accepted.push(await gw.messages.submit('demo', { to: `090${String(12_345_670 + i)}`, text }));
  return accepted;
}

function records(gw: Gateway, accepted: readonly AcceptedMessage[]): Promise<MessageRecord[]> {
  return Promise.all(accepted.map((a) => gw.messages.get('demo', a.id)));
}

function softResets(modems: ModemPool): number {
  return Number(modems.health().links[0]?.detail['softResets'] ?? 0);
}

/** Watches the messages for `ms` and fails as soon as one of them reaches a final status. */
async function noneFinalFor(gw: Gateway, accepted: readonly AcceptedMessage[], ms: number): Promise<MessageRecord[]> {
  const until = Date.now() + ms;
  for (;;) {
    const now = await records(gw, accepted);
    const final = now.find((r) => isFinalMessageStatus(r.status));
    expect(final, `a message became ${final?.status ?? ''} while the modem was hung: ${JSON.stringify(final?.timeline)}`).toBeUndefined();
    if (Date.now() >= until) return now;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function allFinal(gw: Gateway, accepted: readonly AcceptedMessage[], ms = 20_000): Promise<MessageRecord[]> {
  return waitFor(async () => {
    const now = await records(gw, accepted);
    return now.every((r) => isFinalMessageStatus(r.status)) ? now : undefined;
  }, `${accepted.length} messages final`, ms, 50);
}

describe('a hung modem behind the gateway (pty)', () => {
  test('wedged: messages are accepted and held, none fails; once it answers each goes out once, in order, and is delivered', async () => {
    const { gw, modem, modems } = await setUp();
    // Hung, and a soft reset does not cure it: only the control API does.
    modem.setScenario('wedged');
    const accepted = await submitAll(gw);
    expect(accepted.map((a) => [a.status, a.connector])).toEqual(texts.map(() => ['queued', CONNECTOR]));
    // The first send finds the hang (no prompt); the pool goes down at once.
    await waitFor(() => (gw.links.isUp(CONNECTOR) ? undefined : true), 'the connector down');
    const resetsAtDown = softResets(modems);
    const held = await noneFinalFor(gw, accepted, HANG_WINDOW_MS);
    expect(held.map((r) => r.status)).toEqual(texts.map(() => 'queued'));
    // Probed all along, soft reset included, and still down: the wait was a real outage.
    expect(softResets(modems)).toBeGreaterThan(resetsAtDown);
    expect(gw.links.isUp(CONNECTOR)).toBe(false);
    // Held, not counted as attempts.
    expect(held[0]?.timeline.some((t) => t.event === 'queued' && t.detail === 'held: no connector of the route is up')).toBe(true);
    expect(held.flatMap((r) => r.timeline).filter((t) => t.detail?.startsWith('retry attempt') === true)).toEqual([]);
    expect(modem.transmitted()).toEqual([]);

    modem.setBehaviour({ hung: false, hangSurvivesReset: false });
    const done = await allFinal(gw, accepted);
    expect(done.map((r) => r.status)).toEqual(texts.map(() => 'delivered'));
    expect(gw.links.isUp(CONNECTOR)).toBe(true);
    expect(modem.transmitted().map((t) => t.text)).toEqual(texts);
  }, 40_000);

  test('hung in the middle of a send: that message is unknown and never resent; the ones behind it are held, then delivered', async () => {
    const { gw, modem, modems } = await setUp();
    // The next PDU goes out but its +CMGS never comes; from then on the modem is hung, through soft resets too.
    modem.setBehaviour({ hangOnSubmit: 1, hangSurvivesReset: true });
    const accepted = await submitAll(gw);
    const first = await waitFor(async () => {
      const record = await gw.messages.get('demo', accepted[0]?.id ?? '');
      return isFinalMessageStatus(record.status) ? record : undefined;
    }, 'the first message final');
    expect(first.status).toBe('unknown');
    expect(first.parts).toMatchObject([{ status: 'unknown', error: { code: 'MODEM_OUTCOME_UNKNOWN' } }]);
    expect(gw.links.isUp(CONNECTOR)).toBe(false);
    // Probed until a soft reset proved useless, the rest held meanwhile.
    await waitFor(() => (softResets(modems) >= 1 ? true : undefined), 'a soft reset', 15_000);
    const rest = accepted.slice(1);
    const held = await records(gw, rest);
    expect(held.map((r) => r.status)).toEqual(rest.map(() => 'queued'));
    expect(gw.links.isUp(CONNECTOR)).toBe(false);
    expect(modem.transmitted().map((t) => t.text)).toEqual(texts.slice(0, 1));

    modem.setBehaviour({ hung: false, hangSurvivesReset: false });
    const done = await allFinal(gw, rest);
    expect(done.map((r) => r.status)).toEqual(rest.map(() => 'delivered'));
    expect((await gw.messages.get('demo', accepted[0]?.id ?? '')).status).toBe('unknown');
    expect(modem.transmitted().map((t) => t.text)).toEqual(texts);
  }, 40_000);
});

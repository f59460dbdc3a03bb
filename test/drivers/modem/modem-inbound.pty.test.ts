import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { waitFor } from '../../support/wait-for.ts';
import { linkDetail, PtyHarness } from './pty-harness.ts';

const FROM = '+819087654321';
const LONG_JA = '本日はご来店いただき誠にありがとうございました。次回ご利用時に使える割引クーポンをお送りします。有効期限は今月末までです。配信停止をご希望の場合はSTOPと返信してください。'.repeat(2);
const LONG_GSM = 'Meeting moved to 15:30 in room 4B. Please bring the signed forms, your badge and the Q3 numbers. '.repeat(4);

describe('receiving through a modem over a pty', () => {
  const h = new PtyHarness();
  beforeEach(() => h.setUp());
  afterEach(() => h.tearDown());

  test.each([
    ['Japanese UCS-2 in order', LONG_JA, undefined, 'ucs2'],
    ['Japanese UCS-2 out of order', LONG_JA, [3, 1, 2], 'ucs2'],
    ['GSM out of order', LONG_GSM, [2, 3, 1], 'gsm7'],
    ['STOP', 'STOP', undefined, 'gsm7'],
  ])('%s: reassembled, handed on once, then deleted from the SIM', async (_name, text, order, encoding) => {
    const sim = await h.modem('ttyA');
    const pool = await h.pool({ modems: [{ path: sim.path, msisdn: '+819011110000' }] });
    await waitFor(() => pool.health().up, 'up');
    const injected = sim.injectInbound({ from: FROM, text, ...(order === undefined ? {} : { order }) });
    expect(injected.parts).toBe(order === undefined ? injected.parts : 3);
    await waitFor(() => h.messages[0], 'inbound');
    expect(h.messages.map(({ receivedAt, ...rest }) => ({ ...rest, receivedAt: receivedAt instanceof Date }))).toEqual([
      { connectorId: 'test-modems', from: FROM, to: '+819011110000', text, encoding, parts: injected.parts, complete: true, receivedAt: true },
    ]);
    await waitFor(() => sim.stored('SM').length === 0, 'storage emptied');
    expect(linkDetail(pool)).toMatchObject({ received: 1, pendingInboundParts: 0 });
  });

  test('a message the sink refuses stays stored on the SIM and is handed on once the sink accepts', async () => {
    const sim = await h.modem('ttyA');
    const pool = await h.pool({ modems: [{ path: sim.path }] });
    await waitFor(() => pool.health().up, 'up');
    h.refuseInbound = true;
    const injected = sim.injectInbound({ from: FROM, text: LONG_JA });
    await waitFor(() => Number(linkDetail(pool)['handOffFailures']) >= 1, 'refused');
    expect(sim.stored('SM').length).toBe(injected.parts);
    h.refuseInbound = false;
    await waitFor(() => h.messages[0], 'inbound');
    await waitFor(() => sim.stored('SM').length === 0, 'storage emptied');
    expect(h.messages.map((m) => m.text)).toEqual([LONG_JA]);
  });

  test('messages stored before the driver started are listed (AT+CMGL) and handed on', async () => {
    const sim = await h.modem('ttyA');
    sim.injectInbound({ from: FROM, text: 'waiting since last night' });
    sim.injectInbound({ from: '+819000001111', text: LONG_JA });
    await waitFor(() => sim.stored('SM').length === 4, 'stored');
    const pool = await h.pool({ modems: [{ path: sim.path }] });
    await waitFor(() => h.messages.length >= 2, 'two inbound');
    expect(h.messages.map((m) => m.text).sort()).toEqual(['waiting since last night', LONG_JA].sort());
    await waitFor(() => sim.stored('SM').length === 0, 'storage emptied');
    expect(pool.health().up).toBe(true);
  });

  test('direct delivery (+CMT) and stored status reports (+CDSI) when the profile asks for them', async () => {
    const sim = await h.modem('ttyA');
    const pool = await h.pool({ modems: [{ path: sim.path, quirks: { cnmi: 'AT+CNMI=2,2,0,2,0' } }] });
    await waitFor(() => pool.health().up, 'up');
    sim.injectInbound({ from: FROM, text: LONG_JA, order: [2, 3, 1] });
    await waitFor(() => h.messages[0], 'inbound');
    expect(h.messages.map((m) => [m.text, m.complete])).toEqual([[LONG_JA, true]]);
    expect(sim.stored('SM')).toEqual([]);
    const { encodeText } = await import('../../../drivers/codec/index.ts');
    const sent = await pool.send({ messageId: 'r', to: FROM, from: 'x', encoded: encodeText('with a stored report'), receipt: true });
    await waitFor(() => h.receipts[0], 'receipt');
    expect(h.receipts.map((r) => [r.carrierMessageId, r.state])).toEqual([[sent.parts[0]?.status === 'submitted' ? sent.parts[0].carrierMessageId : '', 'delivered']]);
    expect(sim.statusReports().map((r) => r.via)).toEqual(['cdsi']);
    await waitFor(() => sim.stored('SR').length === 0, 'report deleted');
  });
});

import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { waitFor } from '../../support/wait-for.ts';
import { linkDetail, PtyHarness } from './pty-harness.ts';

const IMEI = '356938035643809';

describe('modem start-up over a pty', () => {
  const h = new PtyHarness();
  beforeEach(() => h.setUp());
  afterEach(() => h.tearDown());

  test('initialises: identity, SIM carrier, registration, signal; named by IMEI', async () => {
    const sim = await h.modem('ttyA', { imei: IMEI, carrier: 'softbank' });
    const pool = await h.pool({ modems: [{ path: sim.path }] });
    const ups: string[] = [];
    pool.on('up', (id) => ups.push(id));
    await waitFor(() => pool.health().up, 'up');
    expect(linkDetail(pool)).toMatchObject({
      state: 'up',
      imei: IMEI,
      iccid: sim.identity.iccid,
      imsi: sim.identity.imsi,
      operator: 'SoftBank',
      registration: 1,
      rssi: 22,
      signalDbm: -69,
      path: sim.path,
      lastError: null,
    });
    expect(pool.health().links[0]?.id).toBe(IMEI);
  });

  test('enters the configured PIN when the SIM asks for it', async () => {
    const sim = await h.modem('ttyA', { imei: IMEI, scenario: 'pin-required', behaviour: { pin: '4321' } });
    const pool = await h.pool({ modems: [{ path: sim.path, pin: '4321' }] });
    await waitFor(() => pool.health().up, 'up');
    expect(sim.status().sim).toBe('ready');
  });

  test('a wrong PIN is entered once and never again, however often the modem is retried', async () => {
    const sim = await h.modem('ttyA', { imei: IMEI, scenario: 'pin-required', behaviour: { pin: '4321' } });
    const pool = await h.pool({ modems: [{ path: sim.path, pin: '1111' }] });
    // Four start attempts: had the PIN been entered each time, the third would have blocked the SIM (PUK).
    await waitFor(() => Number(linkDetail(pool)['startAttempts']) >= 4, 'four start attempts', 15_000);
    expect(linkDetail(pool)).toMatchObject({ state: 'down', lastError: 'MODEM_SIM_PIN_WRONG' });
    expect(sim.status().sim).toBe('pin');
    expect(pool.health().up).toBe(false);
  });

  test.each([
    ['puk-required', 'MODEM_SIM_PUK_REQUIRED', { pin: '1234' }],
    ['sim-not-inserted', 'MODEM_SIM_NOT_INSERTED', { pin: '1234' }],
    ['pin-required', 'MODEM_SIM_PIN_REQUIRED', {}],
    ['no-network', 'MODEM_NOT_REGISTERED', {}],
    ['registration-denied', 'MODEM_REGISTRATION_DENIED', {}],
  ])('scenario %s: stays down with %s', async (scenario, code, extra) => {
    const sim = await h.modem('ttyA', { imei: IMEI, scenario });
    const pool = await h.pool({ modems: [{ path: sim.path, ...extra }] });
    await waitFor(() => linkDetail(pool)['lastError'] === code, code);
    expect(pool.health().up).toBe(false);
    const result = await pool.send({ messageId: 'm', to: '+819012345678', from: 'x', encoded: (await import('../../../drivers/codec/index.ts')).encodeText('hi'), receipt: false });
    expect(result.parts).toMatchObject([{ seq: 1, status: 'failed', error: { code: 'MODEM_NO_MODEM_AVAILABLE', retriable: true } }]);
  });

  test('a port holding another IMEI is not taken for the configured modem', async () => {
    await h.modem('ttyA', { imei: '490154203237518' });
    const pool = await h.pool({ modems: [{ imei: IMEI }] });
    await waitFor(() => linkDetail(pool)['lastError'] === 'MODEM_IDENTITY_MISMATCH', 'mismatch');
    expect(pool.health().up).toBe(false);
    const sim = await h.modem('ttyB', { imei: IMEI });
    await waitFor(() => pool.health().up, 'up');
    expect(linkDetail(pool)).toMatchObject({ imei: IMEI, path: sim.path });
  });
});

import { describe, expect, test } from 'vitest';
import { parseModemPoolConfig } from '../../../drivers/modem/index.ts';
import { isModemError } from '../../../drivers/modem/is-modem-error.ts';

describe('parseModemPoolConfig', () => {
  test('fills defaults', () => {
    const config = parseModemPoolConfig({ id: 'jp-modems', modems: [{ path: '/dev/serial/by-id/usb-Huawei-if00', pin: '1234' }] });
    expect(config).toMatchObject({
      strategy: 'carrier-affinity',
      ratePerMinute: 10,
      dailyCap: null,
      softResetAfter: 3,
      modems: [{ path: '/dev/serial/by-id/usb-Huawei-if00', pin: '1234', carriers: [], quirks: {} }],
    });
  });

  test.each([
    [{ modems: [{ path: '/dev/x' }] }, 'id'],
    [{ id: 'p', modems: [] }, 'modems'],
    [{ id: 'p', modems: [{ pin: '1234' }] }, 'modems.0.path'],
    [{ id: 'p', modems: [{ path: 'x', pin: '12ab' }] }, 'modems.0.pin'],
    [{ id: 'p', modems: [{ path: 'x', imei: '12' }] }, 'modems.0.imei'],
    [{ id: 'p', modems: [{ path: 'x', colour: 'red' }] }, 'modems.0.colour'],
    [{ id: 'p', modems: [{ path: 'x', quirks: { cnmi: 'AT+CMGF=1' } }] }, 'modems.0.quirks.cnmi'],
    [{ id: 'p', modems: [{ path: 'x' }], strategy: 'random' }, 'strategy'],
    [{ id: 'p', modems: [{ path: 'x' }], ratePerMinute: 0 }, 'ratePerMinute'],
    [{ id: 'p', modems: [{ imei: '356938035643809' }, { imei: '356938035643809' }] }, 'modems.1'],
    [{ id: 'p', modems: [{ path: 'x' }], reconnect: { initialMs: 5000, maxMs: 10 } }, 'reconnect.maxMs'],
  ])('refuses %j naming %s', (input, field) => {
    try {
      parseModemPoolConfig(input);
    } catch (error) {
      expect(isModemError(error) && error.code).toBe('MODEM_INVALID_CONFIG');
      expect(isModemError(error) && error.details['field']).toBe(field);
      return;
    }
    throw new Error('accepted');
  });
});

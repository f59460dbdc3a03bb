import { describe, expect, test } from 'vitest';
import { parseSmppConfig } from '../../../drivers/smpp/config.ts';

const minimal = { id: 'carrier-a', host: '127.0.0.1', port: 2775, systemId: 'esme', password: 'pw' };

describe('parseSmppConfig', () => {
  test('fills the defaults', () => {
    const config = parseSmppConfig(minimal);
    expect(config).toMatchObject({
      tls: false,
      bindMode: 'transceiver',
      binds: 1,
      interfaceVersion: 0x34,
      carriage: 'udh',
      gsmDataCoding: 0,
      registeredDelivery: 1,
      unknownOutcome: 'never-resend',
      addressing: {
        international: { ton: 1, npi: 1 },
        national: { ton: 2, npi: 1 },
        alphanumeric: { ton: 5, npi: 0 },
        shortCode: { ton: 3, npi: 0 },
      },
      reconnect: { initialMs: 1000, maxMs: 60000, multiplier: 2, jitter: 0.2 },
    });
  });

  test('does not change its input', () => {
    const input = { ...minimal };
    parseSmppConfig(input);
    expect(input).toEqual(minimal);
  });

  test.each([
    ['missing host', { ...minimal, host: undefined }, 'host'],
    ['system_id too long', { ...minimal, systemId: 'x'.repeat(16) }, 'systemId'],
    ['password too long', { ...minimal, password: '123456789' }, 'password'],
    ['port out of range', { ...minimal, port: 70000 }, 'port'],
    ['unknown carriage form', { ...minimal, carriage: 'split' }, 'carriage'],
    ['gsm data_coding 3', { ...minimal, gsmDataCoding: 3 }, 'gsmDataCoding'],
    ['window 0', { ...minimal, windowSize: 0 }, 'windowSize'],
    ['unknown field', { ...minimal, windw: 10 }, 'windw'],
    ['bad nested TON', { ...minimal, addressing: { international: { ton: 9, npi: 1 } } }, 'addressing.international.ton'],
    ['backoff cap below start', { ...minimal, reconnect: { initialMs: 5000, maxMs: 100 } }, 'reconnect.maxMs'],
    ['bad bind mode', { ...minimal, bindMode: 'receiver' }, 'bindMode'],
  ])('%s is refused naming the field', (_name, input, field) => {
    expect(() => parseSmppConfig(JSON.parse(JSON.stringify(input)))).toThrowError(
      expect.objectContaining({ code: 'SMPP_INVALID_CONFIG', details: expect.objectContaining({ field }) as object }) as Error,
    );
  });
});

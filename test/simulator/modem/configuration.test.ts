import { describe, expect, test } from 'vitest';
import { applyBehaviour, HAPPY_BEHAVIOUR, SCENARIO_NAMES, scenarioBehaviour, type BehaviourPatch } from '../../../simulator/modem/behaviour.ts';
import { parseModemConfig } from '../../../simulator/modem/config-file.ts';
import { buildIdentity, luhnCheckDigit } from '../../../simulator/modem/identity.ts';

/** The error `run` throws (the test fails if it throws nothing). */
function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

describe('behaviour', () => {
  test('every scenario is a valid behaviour', () => {
    for (const name of SCENARIO_NAMES) expect(() => scenarioBehaviour(name)).not.toThrow();
  });

  test('an unknown scenario is refused by name', () => {
    expect(thrown(() => scenarioBehaviour('sunny'))).toMatchObject({ code: 'MODEMSIM_UNKNOWN_SCENARIO', details: { field: 'scenario', value: 'sunny' } });
  });

  test.each<[string, BehaviourPatch]>([
    ['behaviour.sim', { sim: 'maybe' as never }],
    ['behaviour.pin', { pin: '12' }],
    ['behaviour.registration', { registration: 'lost' as never }],
    ['behaviour.signal', { signal: { rssi: 40, ber: 0 } }],
    ['behaviour.responseDelayMs', { responseDelayMs: -1 }],
    ['behaviour.sendFailure', { sendFailure: { every: 0, codes: [38] } }],
    ['behaviour.sendFailure', { sendFailure: { every: 2, codes: [] } }],
    ['behaviour.statusReport', { statusReport: { delayMs: 10, outcome: 'lost' as never } }],
    ['behaviour.garbage', { garbage: { meanIntervalMs: 1, maxBytes: 4 } }],
    ['behaviour.flapping', { flapping: { upMs: 10, downMs: 10 } }],
    ['behaviour.urcTiming', { urcTiming: 'whenever' as never }],
    ['behaviour.colour', { colour: 'blue' } as never],
  ])('%s is checked', (field, patch) => {
    expect(thrown(() => applyBehaviour(HAPPY_BEHAVIOUR, patch))).toMatchObject({ code: 'MODEMSIM_INVALID_OPTION', details: { field } });
  });

  test('a patch overrides only its fields', () => {
    const next = applyBehaviour(scenarioBehaviour('weak-signal'), { responseDelayMs: 50 });
    expect(next).toEqual({ ...HAPPY_BEHAVIOUR, signal: { rssi: 3, ber: 7 }, responseDelayMs: 50 });
  });
});

describe('identity', () => {
  test.each([
    ['49015420323751', '8'],
    ['35693803564380', '9'],
    ['898110000000000001', '0'],
  ])('Luhn check digit of %s is %s', (body, digit) => {
    expect(luhnCheckDigit(body)).toBe(digit);
  });

  test('drawn numbers are well formed: IMEI with its check digit, IMSI on the carrier PLMN, ICCID 8981...', () => {
    const identity = buildIdentity({ carrier: 'softbank', profile: 'simcom-sim7600' });
    expect(identity.imei).toMatch(/^\d{15}$/);
    expect(luhnCheckDigit(identity.imei.slice(0, 14))).toBe(identity.imei[14]);
    expect(identity.imsi).toMatch(/^44020\d{10}$/);
    expect(identity.iccid).toMatch(/^8981\d{15}$/);
    expect([identity.manufacturer, identity.model, identity.carrier.longName]).toEqual(['SIMCOM INCORPORATED', 'SIMCOM_SIM7600G-H', 'SoftBank']);
  });

  test.each([
    [{ imei: '12345' }, 'imei'],
    [{ imsi: 'abc' }, 'imsi'],
    [{ iccid: '1' }, 'iccid'],
    [{ carrier: 'vodafone' }, 'carrier'],
    [{ profile: 'nokia-3310' }, 'profile'],
  ])('%j is refused naming %s', (options, field) => {
    expect(thrown(() => buildIdentity(options))).toMatchObject({ code: 'MODEMSIM_INVALID_OPTION', details: { field } });
  });
});

describe('config file', () => {
  test('maps link to path, keeps identity and behaviour, and lists inbound messages', () => {
    const config = parseModemConfig({
      link: '/tmp/modem0',
      carrier: 'kddi',
      imei: 356938035643809,
      scenario: 'slow',
      behaviour: { responseDelayMs: 10 },
      controlPort: 0,
      inbound: [{ from: '+819011112222', text: 'STOP', delayMs: 5 }, { from: 'Shop', text: 'sale', encoding: 'gsm7', flash: true }],
    });
    expect(config.options).toEqual({ path: '/tmp/modem0', carrier: 'kddi', imei: '356938035643809', scenario: 'slow', behaviour: { responseDelayMs: 10 }, controlPort: 0 });
    expect(config.inbound).toEqual([
      { from: '+819011112222', text: 'STOP', delayMs: 5 },
      { from: 'Shop', text: 'sale', delayMs: 0, encoding: 'gsm7', flash: true },
    ]);
  });

  test.each([
    [['not', 'a', 'mapping'], '(top)'],
    [{ lnk: '/tmp/x' }, 'lnk'],
    [{ carrier: 5 }, 'carrier'],
    [{ behaviour: 'fast' }, 'behaviour'],
    [{ controlPort: 'http' }, 'controlPort'],
    [{ inbound: {} }, 'inbound'],
    [{ inbound: [{ from: '+81' }] }, 'inbound[0]'],
    [{ inbound: [{ from: '+81', text: 'x', delayMs: -1 }] }, 'inbound[0].delayMs'],
    [{ inbound: [{ from: '+81', text: 'x', encoding: 'latin1' }] }, 'inbound[0].encoding'],
  ])('%j is refused naming %s', (data, field) => {
    expect(thrown(() => parseModemConfig(data))).toMatchObject({ code: 'MODEMSIM_CONFIG_FILE', details: { field } });
  });
});

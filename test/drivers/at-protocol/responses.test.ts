import { describe, expect, test } from 'vitest';
import {
  parameters,
  parseCmglIndex,
  parseCops,
  parseCpin,
  parseCsq,
  parseRegistration,
  parseStoredIndication,
  singleValue,
} from '../../../drivers/at-protocol/index.ts';

const lines = (...texts: string[]) => texts.map((text) => ({ text }));

describe('response readers', () => {
  test.each([
    ['+COPS: 0,0,"NTT DOCOMO",7', ['0', '0', 'NTT DOCOMO', '7']],
    ['+CMTI: "SM",3', ['SM', '3']],
    ['+CMGL: 1,0,,36', ['1', '0', '', '36']],
    ['+CSCA: "+819000000010",145', ['+819000000010', '145']],
    ['+COPS: 0,0,"Name, with comma",2', ['0', '0', 'Name, with comma', '2']],
  ])('parameters of %s', (text, params) => {
    expect(parameters(text)).toEqual(params);
  });

  test.each([
    [lines('356938035643809'), '356938035643809'],
    [lines('+CGSN: "356938035643809"'), '356938035643809'],
    [lines('+CCID: 8981100000000000000F'), '8981100000000000000F'],
    [lines('^ICCID: 8981100000000000000'), '8981100000000000000'],
    [[], null],
  ])('singleValue %#', (input, value) => {
    expect(singleValue(input)).toBe(value);
  });

  test.each([
    ['READY', 'ready'],
    ['SIM PIN', 'pin'],
    ['SIM PUK', 'puk'],
    ['PH-SIM PIN', 'other'],
  ])('+CPIN: %s', (code, state) => {
    expect(parseCpin(lines(`+CPIN: ${code}`)).state).toBe(state);
  });

  test.each([
    ['+CREG: 0,1', true, 1],
    ['+CREG: 2,5,"1A2B","01C2D3E4",7', true, 5],
    ['+CREG: 3', false, 3],
    ['+CEREG: 2,"1A2B","01C2D3E4",7', false, 2],
    ['+CREG: x', true, null],
  ])('registration of %s (solicited %s)', (text, solicited, stat) => {
    expect(parseRegistration(text, solicited)).toBe(stat);
  });

  test.each([
    ['+CSQ: 22,99', { rssi: 22, dbm: -69 }],
    ['+CSQ: 0,0', { rssi: 0, dbm: -113 }],
    ['+CSQ: 99,99', { rssi: null, dbm: null }],
  ])('%s', (text, signal) => {
    expect(parseCsq(lines(text))).toEqual(signal);
  });

  test('operator, stored indications, listing index', () => {
    expect(parseCops(lines('+COPS: 0,0,"SoftBank",7'))).toBe('SoftBank');
    expect(parseCops(lines('+COPS: 0'))).toBeNull();
    expect(parseStoredIndication('+CDSI: "SR",12')).toEqual({ mem: 'SR', index: 12 });
    expect(parseStoredIndication('+CMTI: "ME",x')).toBeNull();
    expect(parseCmglIndex('+CMGL: 7,1,,22')).toBe(7);
  });
});

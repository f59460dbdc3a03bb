import { describe, expect, test } from 'vitest';
import { decodeSmscAddress, decodeTpAddress, encodeSmscAddress, encodeTpAddress, fromHex, toHex } from '../../../drivers/codec/index.ts';

describe('TP addresses (TS 23.040 9.1.2.5)', () => {
  // Triples: decode(hex) equals the address, encode(value) equals the hex, decode(encode(value)) equals it.
  test.each([
    // Source: the "hellohello" SMS-SUBMIT of the PDU-format tutorial.
    ['0B916407281553F8', { type: 'international', ton: 1, npi: 1, value: '+46708251358' }],
    // Source: python-gsmmodem test/test_pdu.py TestSmsPduAddressFields.
    ['0A918967452301', { type: 'international', ton: 1, npi: 1, value: '+9876543210' }],
    ['099189674523F1', { type: 'international', ton: 1, npi: 1, value: '+987654321' }],
    ['0B917228195339F4', { type: 'international', ton: 1, npi: 1, value: '+27829135934' }],
    ['06D061F118', { type: 'alphanumeric', ton: 5, npi: 0, value: 'abc' }],
    ['0ED04669D0397C26A7', { type: 'alphanumeric', ton: 5, npi: 0, value: 'FRANCOIS' }],
    ['14D0E10D6FE3DBA036A94D19', { type: 'alphanumeric', ton: 5, npi: 0, value: 'a[]{}€' }],
    // Built by hand from clause 9.1.2.5: unknown TON, ISDN plan, '*' and '#' as semi-octets A and B.
    ['05812143F5', { type: 'unknown', ton: 0, npi: 1, value: '12345' }],
    ['04811A2B', { type: 'unknown', ton: 0, npi: 1, value: '*1#2' }],
  ])('%s', (hex, address) => {
    const bytes = fromHex(hex);
    expect(decodeTpAddress(bytes, 0, 'TP-DA')).toEqual({ address, next: bytes.length });
    expect(toHex(encodeTpAddress(address.value))).toBe(hex);
    expect(decodeTpAddress(encodeTpAddress(address.value), 0, 'TP-DA').address).toEqual(address);
  });

  // Decode only: national TON 2 (0xA1), which the encoder does not choose (it writes 0x81 for numbers without '+').
  // Source: python-gsmmodem test/test_pdu.py ("local number").
  test('a national number (TON 2) decodes without a plus', () => {
    expect(decodeTpAddress(fromHex('0AA11092997856'), 0, 'TP-OA').address).toEqual({ type: 'national', ton: 2, npi: 1, value: '0129998765' });
  });

  test('reads from an offset and says where the next field starts', () => {
    expect(decodeTpAddress(fromHex('FFFF0B916407281553F800'), 2, 'TP-DA').next).toBe(10);
  });

  test.each([
    ['', 'CODEC_INVALID_ADDRESS'],
    ['+', 'CODEC_INVALID_ADDRESS'],
    ['+123456789012345678901', 'CODEC_INVALID_ADDRESS'],
    ['123456789012345678901', 'CODEC_INVALID_ADDRESS'],
    ['TwelveChars!', 'CODEC_INVALID_ADDRESS'],
    ['日本', 'CODEC_INVALID_ADDRESS'],
    ['+12ab', 'CODEC_INVALID_ADDRESS'],
  ])('refuses to encode %j', (value, code) => {
    expect(() => encodeTpAddress(value)).toThrow(expect.objectContaining({ code }));
  });

  test.each([
    ['0B91640728', 'TP-OA'],
    ['0B', 'TP-OA'],
    ['', 'TP-OA'],
  ])('a truncated address %j names its field', (hex, field) => {
    let caught: unknown;
    try {
      decodeTpAddress(fromHex(hex), 0, field);
    } catch (error) {
      caught = error;
    }
    expect(caught).toMatchObject({ code: 'CODEC_TRUNCATED_PDU', details: { field } });
  });
});

describe('SMSC information (TS 27.005 3.1)', () => {
  // Source: python-gsmmodem test/test_pdu.py TestSmsPduSmscFields; '00' is the "use the SIM's SMSC" form.
  test.each([
    ['00', undefined],
    ['06918967452301', '+9876543210'],
    ['069189674523F1', '+987654321'],
    ['07917283010010F5', '+27381000015'],
  ])('%s', (hex, value) => {
    const bytes = fromHex(hex);
    const decoded = decodeSmscAddress(bytes);
    expect(decoded.next).toBe(bytes.length);
    expect(decoded.address?.value).toBe(value);
    expect(toHex(encodeSmscAddress(value))).toBe(hex);
  });

  test('an SMSC length beyond the data is truncated', () => {
    expect(() => decodeSmscAddress(fromHex('0791728301'))).toThrow(expect.objectContaining({ code: 'CODEC_TRUNCATED_PDU' }));
  });

  test('an alphanumeric SMSC is refused', () => {
    expect(() => encodeSmscAddress('Operator')).toThrow(expect.objectContaining({ code: 'CODEC_INVALID_ADDRESS' }));
  });
});

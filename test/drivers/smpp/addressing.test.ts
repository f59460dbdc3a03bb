import { describe, expect, test } from 'vitest';
import { addressFromSmpp, smppAddress } from '../../../drivers/smpp/addressing.ts';
import { parseSmppConfig } from '../../../drivers/smpp/config.ts';

const rules = parseSmppConfig({ id: 'a', host: 'h', port: 1, systemId: 's', password: 'p' }).addressing;

describe('smppAddress', () => {
  test.each([
    ['+447700900123', 'to', 1, 1, '447700900123'],
    ['07700900123', 'to', 2, 1, '07700900123'],
    ['12345', 'from', 3, 0, '12345'],
    ['MyShop', 'from', 5, 0, 'MyShop'],
    ['Bank 24', 'from', 5, 0, 'Bank 24'],
    ['', 'from', 0, 0, ''],
  ] as const)('%s as %s is TON %i NPI %i', (address, field, ton, npi, addr) => {
    expect(smppAddress(address, rules, field)).toEqual({ ton, npi, addr });
  });

  test.each([
    ['alphanumeric destination', 'Shop', 'to'],
    ['sender over 11 characters', 'ABCDEFGHIJKL', 'from'],
    ['non-ASCII sender', 'Café', 'from'],
    ['too many digits', '1'.repeat(21), 'from'],
    ['empty destination', '', 'to'],
  ] as const)('refuses %s', (_name, address, field) => {
    expect(() => smppAddress(address, rules, field)).toThrowError(
      expect.objectContaining({ code: 'SMPP_INVALID_ADDRESS', details: { field, value: address } }) as Error,
    );
  });

  test.each([
    [1, '447700900123', '+447700900123'],
    [2, '07700900123', '07700900123'],
    [5, 'Shop', 'Shop'],
  ])('inbound TON %i %s reads %s', (ton, addr, expected) => {
    expect(addressFromSmpp(ton, addr)).toBe(expected);
  });
});

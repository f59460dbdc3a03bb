import { describe, expect, test } from 'vitest';
import { AddressList, isPublicUnicast, parseIp } from '../../../gateway/net/address-list.ts';

describe('which addresses count as public unicast', () => {
  test.each([
    ['8.8.8.8', true],
    ['93.184.216.34', true],
    ['2606:4700:4700::1111', true],
    ['127.0.0.1', false],
    ['127.255.0.9', false],
    ['0.0.0.0', false],
    ['0.1.2.3', false],
    ['10.1.2.3', false],
    ['172.16.0.1', false],
    ['192.168.1.1', false],
    ['169.254.169.254', false],
    ['100.64.0.1', false],
    ['100.127.255.254', false],
    ['224.0.0.1', false],
    ['255.255.255.255', false],
    ['::1', false],
    ['::', false],
    ['fe80::1', false],
    ['fc00::1', false],
    ['fd12:3456::1', false],
    ['ff02::1', false],
    ['::ffff:127.0.0.1', false],
    ['::ffff:169.254.169.254', false],
    ['::ffff:8.8.8.8', true],
    ['64:ff9b::a9fe:a9fe', false],
    ['2002:a9fe:a9fe::1', false],
    ['[::1]', false],
  ])('%s -> %s', (text, expected) => {
    const ip = parseIp(text);
    expect(ip).toBeDefined();
    expect(isPublicUnicast(ip ?? (parseIp('::') as NonNullable<typeof ip>))).toBe(expected);
  });

  test('text that is no address is none', () => {
    expect(parseIp('example.com')).toBeUndefined();
    expect(parseIp('10.0.0.0/8')).toBeUndefined();
  });
});

describe('address lists', () => {
  const list = AddressList.parse(['198.51.100.0/24', '2001:db8::/32', '127.0.0.1', '::ffff:10.9.0.0/112', 'hooks.internal'], 'allow', { hosts: true });

  test.each([
    ['198.51.100.7', true],
    ['198.51.101.7', false],
    ['::ffff:198.51.100.7', true],
    ['2001:db8:1::5', true],
    ['2001:db9::5', false],
    ['127.0.0.1', true],
    ['127.0.0.2', false],
    ['10.9.3.4', true],
    ['::ffff:10.9.3.4', true],
    ['10.8.3.4', false],
    ['not-an-ip', false],
  ])('%s in the list: %s', (address, expected) => {
    expect(list.includes(address)).toBe(expected);
  });

  test('host names are listed only where hosts are allowed, and compared without case', () => {
    expect(list.includesHost('Hooks.Internal')).toBe(true);
    expect(list.includes('hooks.internal')).toBe(false);
    expect(() => AddressList.parse(['hooks.internal'], 'accounts[0].allowedIps')).toThrowError(
      expect.objectContaining({ code: 'GW_INVALID_CONFIG', details: { field: 'accounts[0].allowedIps[0]' } }) as Error,
    );
  });

  test.each([['10.0.0.0/33'], ['300.1.1.1'], ['2001:db8::/129'], ['a b'], ['']])('%j is refused naming its index', (entry) => {
    expect(() => AddressList.parse(['10.0.0.0/8', entry], 'webhooks.allow', { hosts: true })).toThrowError(
      expect.objectContaining({ code: 'GW_INVALID_CONFIG', details: { field: 'webhooks.allow[1]' } }) as Error,
    );
  });
});

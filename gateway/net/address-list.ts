/**
 * IP addresses and lists of them (CIDR ranges, single addresses and, where a list allows them, host names), as
 * account IP allow-lists and the webhook allow-list use them. Parsing and the special-purpose ranges (loopback,
 * private, link-local, CGNAT, unique-local, multicast, ...) come from ipaddr.js. An IPv4-mapped IPv6 address
 * (`::ffff:10.0.0.1`) always counts as its IPv4 address, so it can neither slip past a check nor miss a range.
 */
import ipaddr from 'ipaddr.js';
import { gatewayError } from '../errors.ts';

export type IpAddress = ipaddr.IPv4 | ipaddr.IPv6;

/** The address in `text` (brackets around IPv6 allowed), IPv4-mapped IPv6 turned into IPv4; undefined when it is none. */
export function parseIp(text: string): IpAddress | undefined {
  const bare = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  if (!ipaddr.isValid(bare)) return undefined;
  return ipaddr.process(bare);
}

/**
 * Whether an address is an ordinary public unicast one. Every special-purpose range is refused: loopback,
 * 0.0.0.0/8, private (RFC 1918), CGNAT 100.64/10, link-local (IPv4 and fe80::/10), unique-local fc00::/7,
 * multicast, broadcast, reserved and documentation ranges, and the IPv6 ranges that embed an IPv4 address
 * (NAT64, 6to4, Teredo), whose IPv4 part could be any of the former.
 */
export function isPublicUnicast(address: IpAddress): boolean {
  return address.range() === 'unicast';
}

const HOST_NAME = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;

export class AddressList {
  private constructor(
    private readonly ranges: readonly (readonly [IpAddress, number])[],
    private readonly hosts: ReadonlySet<string>,
  ) {}

  static readonly EMPTY = new AddressList([], new Set());

  /**
   * Parses `entries` (`10.0.0.0/8`, `2001:db8::/32`, `127.0.0.1`, and host names when `hosts` is true);
   * a bad entry is GW_INVALID_CONFIG naming `field[index]` (and `file`, when the list comes from one).
   */
  static parse(entries: readonly string[], field: string, options: { readonly hosts?: boolean; readonly file?: string } = {}): AddressList {
    const ranges: (readonly [IpAddress, number])[] = [];
    const hosts = new Set<string>();
    entries.forEach((entry, index) => {
      const range = parseRange(entry);
      if (range !== undefined) ranges.push(range);
      else if (options.hosts === true && isHostName(entry.toLowerCase())) hosts.add(entry.toLowerCase());
      else {
        const expected = options.hosts === true ? 'a CIDR range, an IP address or a host name' : 'a CIDR range or an IP address';
        const where = options.file === undefined ? {} : { file: options.file };
        const problem = `${field}[${index}] "${entry}" is not ${expected}`;
        throw gatewayError('GW_INVALID_CONFIG', options.file === undefined ? problem : `${options.file}: ${problem}`, { ...where, field: `${field}[${index}]` });
      }
    });
    return new AddressList(ranges, hosts);
  }

  get size(): number {
    return this.ranges.length + this.hosts.size;
  }

  /** Whether the address (text or parsed) lies in one of the list's ranges. */
  includes(address: IpAddress | string): boolean {
    const ip = typeof address === 'string' ? parseIp(address) : address;
    if (ip === undefined) return false;
    return this.ranges.some(([base, bits]) => base.kind() === ip.kind() && ip.match(base, bits));
  }

  /** Whether the host name is listed as such (compared without case). */
  includesHost(hostname: string): boolean {
    return this.hosts.has(hostname.toLowerCase());
  }
}

/** A DNS host name; one whose last label is numeric would be read as an IPv4 address by URL parsers, so it is none. */
function isHostName(text: string): boolean {
  return HOST_NAME.test(text) && !/(^|\.)[0-9]+$/.test(text);
}

function parseRange(entry: string): readonly [IpAddress, number] | undefined {
  if (entry.includes('/')) {
    if (!ipaddr.isValidCIDR(entry)) return undefined;
    const [base, bits] = ipaddr.parseCIDR(entry);
    // A mapped IPv6 range (::ffff:10.0.0.0/104) covers the IPv4 addresses that parseIp turns mapped ones into.
    if (base.kind() === 'ipv6' && (base as ipaddr.IPv6).isIPv4MappedAddress() && bits >= 96) return [(base as ipaddr.IPv6).toIPv4Address(), bits - 96];
    return [base, bits];
  }
  const ip = parseIp(entry);
  return ip === undefined ? undefined : [ip, ip.kind() === 'ipv4' ? 32 : 128];
}

/**
 * Where webhooks may go, so that a callback URL cannot make the gateway a proxy into its own network (server-side
 * request forgery). Only http and https; by default only public unicast addresses (see `isPublicUnicast`), unless
 * `webhooks.allow` lists the address's range or the URL's host name. Checked twice: at submit for literal IPs
 * (`refusal`), and when posting, after DNS, for every address the name resolves to; the connection then goes to an
 * address that was checked (undici's `connect.lookup`), so a second, different DNS answer cannot slip in between.
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { Agent } from 'undici';
import { AddressList, isPublicUnicast, parseIp } from '../net/address-list.ts';

/** Resolves a host name to every address it has (tests inject one; the default is the system resolver). */
export type HostResolver = (hostname: string) => Promise<readonly LookupAddress[]>;

const systemResolver: HostResolver = (hostname) =>
  new Promise((resolve, reject) => {
    dnsLookup(hostname, { all: true, verbatim: true }, (error, addresses) => (error === null ? resolve(addresses) : reject(error)));
  });

/** Thrown from the lookup when a resolved address is refused; postWebhook reports it as a permanent refusal. */
export class WebhookTargetRefused extends Error {
  readonly code = 'WEBHOOK_TARGET_REFUSED';
}

export class WebhookTargets {
  private agent: Agent | undefined;

  constructor(
    private readonly allow: AddressList = AddressList.EMPTY,
    private readonly resolver: HostResolver = systemResolver,
  ) {}

  /** The dispatcher every webhook request goes through: its lookup checks each resolved address. */
  get dispatcher(): Agent {
    this.agent ??= new Agent({ connect: { lookup: this.lookup } });
    return this.agent;
  }

  /** Why a URL may not be a webhook target as far as it can be told without DNS; undefined when it may. */
  refusal(url: string): string | undefined {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return 'is not a URL';
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return `has scheme ${parsed.protocol.replace(/:$/, '')}; only http and https are allowed`;
    if (parsed.username !== '' || parsed.password !== '') return 'must not carry credentials';
    const host = parsed.hostname;
    if (this.allow.includesHost(host)) return undefined;
    const ip = parseIp(host);
    if (ip !== undefined) return this.addressAllowed(ip.toString()) ? undefined : `points to ${host}, a loopback, private or otherwise non-public address (allow it with webhooks.allow)`;
    if (host === 'localhost' || host.endsWith('.localhost')) return `points to ${host}, a loopback address (allow it with webhooks.allow)`;
    return undefined;
  }

  /** Closes the dispatcher's connections. */
  async close(): Promise<void> {
    await this.agent?.close();
    this.agent = undefined;
  }

  private addressAllowed(address: string): boolean {
    const ip = parseIp(address);
    return ip !== undefined && (isPublicUnicast(ip) || this.allow.includes(ip));
  }

  /** net.connect's lookup: resolve, refuse when any address is refused, else hand over the checked addresses. */
  private readonly lookup: LookupFunction = (hostname, options, callback) => {
    const listed = this.allow.includesHost(hostname);
    this.resolver(hostname).then(
      (found) => {
        const wanted = found.filter((a) => options.family === undefined || options.family === 0 || a.family === options.family);
        const refused = listed ? undefined : found.find((a) => !this.addressAllowed(a.address));
        if (refused !== undefined) {
          callback(new WebhookTargetRefused(`${hostname} resolves to ${refused.address}, a loopback, private or otherwise non-public address (allow it with webhooks.allow)`), '', 0);
          return;
        }
        const first = wanted[0];
        if (first === undefined) {
          callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), '', 0);
          return;
        }
        if (options.all === true) callback(null, [...wanted]);
        else callback(null, first.address, first.family);
      },
      (error: unknown) => callback(error as NodeJS.ErrnoException, '', 0),
    );
  };
}

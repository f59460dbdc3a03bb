/**
 * Accounts from the configuration: who may send (API keys, kept only as SHA-256 hashes), with what defaults,
 * where their callbacks go, and which numbers they own (inbound messages to those numbers are theirs).
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { AcceptAccount } from '../accept/accept-request.ts';
import { gatewayError } from '../errors.ts';
import { AddressList } from '../net/address-list.ts';
import type { SuppressionSettings } from '../suppressions/suppression-settings.ts';

export interface AccountLimits {
  /** HTTP requests per second (token bucket; burst = twice the rate). */
  readonly requestsPerSecond?: number;
  /** Messages per second accepted (batch items count one each). */
  readonly messagesPerSecond?: number;
}

export interface AccountConfig extends AcceptAccount {
  readonly name?: string;
  /** SHA-256 hex digests of the account's API keys. */
  readonly apiKeyHashes: readonly string[];
  readonly callbackUrl?: string;
  readonly callbackSecret?: string;
  readonly inboundUrl?: string;
  /** Numbers and short codes whose inbound messages belong to this account (E.164 with '+', or digits). */
  readonly numbers?: readonly string[];
  readonly limits?: AccountLimits;
  /** Client addresses the account's API keys work from (CIDR ranges or single addresses, IPv4 and IPv6); any when absent. */
  readonly allowedIps?: readonly string[];
  /** What an opt-out keyword blocks and which tags pass the suppression list (see suppression-settings.ts). */
  readonly suppression?: SuppressionSettings;
}

/**
 * Keys are stored as unsalted SHA-256, which is sound only because keys are random and long: at least 32
 * characters of base62 / base64url (about 190 bits; 128 bits at the very least), e.g. `openssl rand -base64 32 |
 * tr '+/' '-_' | tr -d '='`. A short or guessable key could be found from its hash by brute force.
 */
export const API_KEY_MIN_LENGTH = 32;

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** Refuses (GW_INVALID_CONFIG) an API key given in plain text that is too short or not base62 / base64url. */
export function checkApiKey(key: string, field = 'apiKey'): void {
  if (key.length < API_KEY_MIN_LENGTH || !/^[A-Za-z0-9_-]+$/.test(key)) {
    throw gatewayError('GW_INVALID_CONFIG', `${field} must be at least ${API_KEY_MIN_LENGTH} characters of A-Z, a-z, 0-9, '_' or '-' (random; at least 128 bits)`, { field });
  }
}

/** A new random API key (192 bits, base64url) after `prefix`, checked like any configured key. */
export function newApiKey(prefix = ''): string {
  const key = `${prefix}${randomBytes(24).toString('base64url')}`;
  checkApiKey(key);
  return key;
}

export class AccountRegistry {
  private readonly byId = new Map<string, AccountConfig>();
  private readonly byKeyHash = new Map<string, AccountConfig>();
  private readonly byNumber = new Map<string, AccountConfig>();
  private readonly allowedIps = new Map<string, AddressList>();

  constructor(accounts: readonly AccountConfig[]) {
    for (const account of accounts) {
      this.byId.set(account.id, account);
      for (const hash of account.apiKeyHashes) this.byKeyHash.set(hash.toLowerCase(), account);
      for (const number of account.numbers ?? []) this.byNumber.set(number.replace(/^\+/, ''), account);
      if (account.allowedIps !== undefined) this.allowedIps.set(account.id, AddressList.parse(account.allowedIps, `accounts.${account.id}.allowedIps`));
    }
  }

  get(id: string): AccountConfig | undefined {
    return this.byId.get(id);
  }

  all(): readonly AccountConfig[] {
    return [...this.byId.values()];
  }

  /** The account an API key belongs to; the comparison is on hashes in constant time. */
  authenticate(apiKey: string): AccountConfig | undefined {
    const hash = hashApiKey(apiKey);
    const account = this.byKeyHash.get(hash);
    if (account === undefined) return undefined;
    const stored = account.apiKeyHashes.find((h) => h.toLowerCase() === hash) ?? '';
    return timingSafeEqual(Buffer.from(stored.toLowerCase()), Buffer.from(hash)) ? account : undefined;
  }

  /** Whether the account may be used from this client address (its `allowedIps`, when it has them). */
  allowsAddress(account: AccountConfig, address: string): boolean {
    return this.allowedIps.get(account.id)?.includes(address) ?? true;
  }

  /** The account owning a destination number (inbound routing). */
  owner(number: string): AccountConfig | undefined {
    return this.byNumber.get(number.replace(/^\+/, ''));
  }
}

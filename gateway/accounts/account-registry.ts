/**
 * Accounts from the configuration: who may send (API keys, kept only as SHA-256 hashes), with what defaults,
 * where their callbacks go, and which numbers they own (inbound messages to those numbers are theirs).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { AcceptAccount } from '../accept/accept-request.ts';

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
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

export class AccountRegistry {
  private readonly byId = new Map<string, AccountConfig>();
  private readonly byKeyHash = new Map<string, AccountConfig>();
  private readonly byNumber = new Map<string, AccountConfig>();

  constructor(accounts: readonly AccountConfig[]) {
    for (const account of accounts) {
      this.byId.set(account.id, account);
      for (const hash of account.apiKeyHashes) this.byKeyHash.set(hash.toLowerCase(), account);
      for (const number of account.numbers ?? []) this.byNumber.set(number.replace(/^\+/, ''), account);
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

  /** The account owning a destination number (inbound routing). */
  owner(number: string): AccountConfig | undefined {
    return this.byNumber.get(number.replace(/^\+/, ''));
  }
}

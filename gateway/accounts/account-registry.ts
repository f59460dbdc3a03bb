/**
 * Accounts from the configuration: who may send (API keys, kept only as SHA-256 hashes), with what defaults,
 * where their callbacks go, and which numbers they own (inbound messages to those numbers are theirs).
 */
import { hash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { AccountConfig } from './account-config.ts';
import { gatewayError } from '../errors.ts';
import { AddressList } from '../net/address-list.ts';
import { diffAccounts, type AccountChanges } from './account-changes.ts';

export type { AccountConfig, AccountLimits } from './account-config.ts';

/**
 * Keys are stored as unsalted SHA-256, which is sound only because keys are random and long: at least 32
 * characters of base62 / base64url (about 190 bits; 128 bits at the very least), e.g. `openssl rand -base64 32 |
 * tr '+/' '-_' | tr -d '='`. A short or guessable key could be found from its hash by brute force.
 */
export const API_KEY_MIN_LENGTH = 32;

export function hashApiKey(key: string): string {
  // The one-shot hash: half the time of createHash().update().digest(), on every request.
  return hash('sha256', key, 'hex');
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

/** The indexes of one set of accounts, built whole before it is put in force. */
interface AccountIndex {
  readonly byId: ReadonlyMap<string, AccountConfig>;
  readonly byKeyHash: ReadonlyMap<string, AccountConfig>;
  readonly byNumber: ReadonlyMap<string, AccountConfig>;
  readonly allowedIps: ReadonlyMap<string, AddressList>;
}

/** Throws (GW_INVALID_CONFIG) on an allow-list that does not parse; the configuration check names the field first. */
function indexAccounts(accounts: readonly AccountConfig[]): AccountIndex {
  const byId = new Map<string, AccountConfig>();
  const byKeyHash = new Map<string, AccountConfig>();
  const byNumber = new Map<string, AccountConfig>();
  const allowedIps = new Map<string, AddressList>();
  for (const account of accounts) {
    byId.set(account.id, account);
    for (const hash of account.apiKeyHashes) byKeyHash.set(hash.toLowerCase(), account);
    for (const number of account.numbers ?? []) byNumber.set(number.replace(/^\+/, ''), account);
    if (account.allowedIps !== undefined) allowedIps.set(account.id, AddressList.parse(account.allowedIps, `accounts.${account.id}.allowedIps`));
  }
  return { byId, byKeyHash, byNumber, allowedIps };
}

/**
 * The accounts in force. One registry lives as long as the gateway and every holder (API auth, messages,
 * projection, webhooks) reads through it, so `replace` puts a reloaded set in force for all of them at once.
 * A request keeps the account object it authenticated with; only the next lookups see the new set.
 */
export class AccountRegistry {
  private index: AccountIndex;
  private readonly listeners: ((change: AccountChanges) => void)[] = [];

  constructor(accounts: readonly AccountConfig[]) {
    this.index = indexAccounts(accounts);
  }

  /**
   * Puts another set of accounts in force in one step (indexes are built first: a set that does not index is
   * refused with the old one still in force) and tells what changed, without keys or hashes.
   */
  replace(accounts: readonly AccountConfig[]): AccountChanges {
    const next = indexAccounts(accounts);
    const changes = diffAccounts(this.all(), accounts);
    this.index = next;
    for (const listener of this.listeners) listener(changes);
    return changes;
  }

  /** Called after each `replace` (e.g. the API forgets the rate limits of removed accounts). */
  onReplace(listener: (change: AccountChanges) => void): void {
    this.listeners.push(listener);
  }

  get(id: string): AccountConfig | undefined {
    return this.index.byId.get(id);
  }

  all(): readonly AccountConfig[] {
    return [...this.index.byId.values()];
  }

  /** The account an API key belongs to; the comparison is on hashes in constant time. */
  authenticate(apiKey: string): AccountConfig | undefined {
    const hash = hashApiKey(apiKey);
    const account = this.index.byKeyHash.get(hash);
    if (account === undefined) return undefined;
    const stored = account.apiKeyHashes.find((h) => h.toLowerCase() === hash) ?? '';
    return timingSafeEqual(Buffer.from(stored.toLowerCase()), Buffer.from(hash)) ? account : undefined;
  }

  /** Whether the account may be used from this client address (its `allowedIps`, when it has them). */
  allowsAddress(account: AccountConfig, address: string): boolean {
    const list = this.index.allowedIps.get(account.id);
    // An account object from before a reload is judged by its own list, not by its successor's.
    if (list !== undefined && this.index.byId.get(account.id) === account) return list.includes(address);
    return account.allowedIps === undefined ? true : AddressList.parse(account.allowedIps, `accounts.${account.id}.allowedIps`).includes(address);
  }

  /** The account owning a destination number (inbound routing). */
  owner(number: string): AccountConfig | undefined {
    return this.index.byNumber.get(number.replace(/^\+/, ''));
  }
}

/**
 * What a reload of the accounts changed, and what an operator may read about an account: ids, setting names and
 * key counts only. Neither ever holds an API key, a key hash or a callback secret, so both can be answered by
 * the admin API and logged.
 */
import type { AccountConfig, ConsoleRole } from './account-config.ts';

export interface AccountChange {
  readonly id: string;
  /** Names of the settings that differ (`callbackSecret` is named when it changed, never shown). */
  readonly fields: readonly string[];
  readonly keysAdded: number;
  readonly keysRemoved: number;
  readonly keys: number;
}

export interface AccountChanges {
  readonly added: readonly { readonly id: string; readonly keys: number }[];
  readonly removed: readonly string[];
  readonly changed: readonly AccountChange[];
  /** Accounts in force after the change. */
  readonly accounts: number;
}

export function diffAccounts(before: readonly AccountConfig[], after: readonly AccountConfig[]): AccountChanges {
  const old = new Map(before.map((a) => [a.id, a]));
  const ids = new Set(after.map((a) => a.id));
  const added: { id: string; keys: number }[] = [];
  const changed: AccountChange[] = [];
  for (const account of after) {
    const previous = old.get(account.id);
    if (previous === undefined) {
      added.push({ id: account.id, keys: keyCount(account) });
      continue;
    }
    const change = compare(previous, account);
    if (change !== undefined) changed.push(change);
  }
  const removed = before.filter((a) => !ids.has(a.id)).map((a) => a.id);
  return { added, removed, changed, accounts: ids.size };
}

/** An empty change: nothing added, removed or changed. */
export function unchanged(changes: AccountChanges): boolean {
  return changes.added.length === 0 && changes.removed.length === 0 && changes.changed.length === 0;
}

function compare(before: AccountConfig, after: AccountConfig): AccountChange | undefined {
  const oldKeys = new Set(before.apiKeyHashes.map((h) => h.toLowerCase()));
  const newKeys = new Set(after.apiKeyHashes.map((h) => h.toLowerCase()));
  const keysAdded = [...newKeys].filter((h) => !oldKeys.has(h)).length;
  const keysRemoved = [...oldKeys].filter((h) => !newKeys.has(h)).length;
  const names = new Set([...Object.keys(before), ...Object.keys(after)]);
  names.delete('apiKeyHashes');
  const fields = [...names].filter((name) => JSON.stringify(field(before, name)) !== JSON.stringify(field(after, name))).sort();
  if (fields.length === 0 && keysAdded === 0 && keysRemoved === 0) return undefined;
  return { id: after.id, fields, keysAdded, keysRemoved, keys: newKeys.size };
}

function field(account: AccountConfig, name: string): unknown {
  return (account as unknown as Record<string, unknown>)[name];
}

function keyCount(account: AccountConfig): number {
  return new Set(account.apiKeyHashes.map((h) => h.toLowerCase())).size;
}

/** An account as the admin API lists it: settings without keys, hashes or secrets; callback URLs by origin only. */
export interface AccountSummary {
  readonly id: string;
  readonly name?: string;
  readonly keys: number;
  readonly defaultCountry?: string;
  readonly defaultSender?: string;
  readonly requireMobile?: boolean;
  readonly maxParts?: number;
  readonly shiftTables?: boolean;
  readonly numbers: readonly string[];
  readonly limits?: { readonly requestsPerSecond?: number; readonly messagesPerSecond?: number };
  readonly allowedIps?: readonly string[];
  /** Origins (scheme, host, port) of the callback targets: a URL's path or query may carry a token. */
  readonly callbackOrigin?: string;
  readonly inboundOrigin?: string;
  /** Whether callbacks are signed (a callbackSecret is set). */
  readonly signed: boolean;
  /** Console users by name and role; never their password hashes. */
  readonly consoleUsers: readonly { readonly name: string; readonly role: ConsoleRole }[];
  readonly timeZone?: string;
}

export function summarizeAccount(account: AccountConfig): AccountSummary {
  const origin = (url: string | undefined): string | undefined => {
    if (url === undefined) return undefined;
    try {
      return new URL(url).origin;
    } catch {
      return '(invalid)';
    }
  };
  const callbackOrigin = origin(account.callbackUrl);
  const inboundOrigin = origin(account.inboundUrl);
  return {
    id: account.id,
    ...(account.name === undefined ? {} : { name: account.name }),
    keys: keyCount(account),
    ...(account.defaultCountry === undefined ? {} : { defaultCountry: account.defaultCountry }),
    ...(account.defaultSender === undefined ? {} : { defaultSender: account.defaultSender }),
    ...(account.requireMobile === undefined ? {} : { requireMobile: account.requireMobile }),
    ...(account.maxParts === undefined ? {} : { maxParts: account.maxParts }),
    ...(account.shiftTables === undefined ? {} : { shiftTables: account.shiftTables }),
    numbers: account.numbers ?? [],
    ...(account.limits === undefined ? {} : { limits: { ...account.limits } }),
    ...(account.allowedIps === undefined ? {} : { allowedIps: account.allowedIps }),
    ...(callbackOrigin === undefined ? {} : { callbackOrigin }),
    ...(inboundOrigin === undefined ? {} : { inboundOrigin }),
    signed: account.callbackSecret !== undefined,
    consoleUsers: (account.consoleUsers ?? []).map((user) => ({ name: user.name, role: user.role })),
    ...(account.timeZone === undefined ? {} : { timeZone: account.timeZone }),
  };
}

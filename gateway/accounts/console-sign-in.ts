/**
 * Who may sign in to the web console: an account's console user with the password whose argon2 hash the
 * configuration holds, or anyone holding one of the account's API keys (as an operator). Attempts are counted in
 * the shared rate counter, per client address and per account user, so a guesser meets the limit on every
 * process of a deployment; a refused sign-in says no more than that it failed.
 */
import { createHash } from 'node:crypto';
import { verify as verifyArgon2 } from '@node-rs/argon2';
import { gatewayError } from '../errors.ts';
import { overLimit, type RateCounter, type RateLimit } from '../ports/rate-counter.ts';
import type { AccountConfig, ConsoleRole } from './account-config.ts';
import type { AccountRegistry } from './account-registry.ts';

export interface ConsoleIdentity {
  readonly accountId: string;
  /** The console user's name, or `key:<first 12 hex of the key's SHA-256>` for an API key sign-in. */
  readonly user: string;
  readonly role: ConsoleRole;
}

export interface SignInLimits {
  /** Attempts per client address, and per account and user name, within `windowMs`. */
  readonly perAddress: number;
  readonly perUser: number;
  readonly windowMs: number;
}

export const DEFAULT_SIGN_IN_LIMITS: SignInLimits = { perAddress: 30, perUser: 5, windowMs: 15 * 60_000 };

// Checked when the account or user does not exist, so the answer takes as long as a wrong password does.
const UNKNOWN_USER_HASH = '$argon2id$v=19$m=19456,t=2,p=1$E5zgHncwAe/AK3BPluhTsA$YcMNQnvhOIrnfM3/uPBGBE7Z6brLfaZ49t+WswnrihA';

export class ConsoleSignIn {
  constructor(
    private readonly accounts: AccountRegistry,
    private readonly rates: RateCounter,
    private readonly limits: SignInLimits = DEFAULT_SIGN_IN_LIMITS,
  ) {}

  async withPassword(accountId: string, name: string, password: string, address: string, now: number): Promise<ConsoleIdentity> {
    await this.count([`cs:ip:${address}`, `cs:u:${accountId}:${name}`], now);
    const account = this.accounts.get(accountId);
    const user = account?.consoleUsers?.find((candidate) => candidate.name === name);
    const matches = await verifyArgon2(user?.passwordHash ?? UNKNOWN_USER_HASH, password).catch(() => false);
    if (account === undefined || user === undefined || !matches) throw gatewayError('GW_SIGN_IN_FAILED');
    this.checkAddress(account, address);
    return { accountId: account.id, user: user.name, role: user.role };
  }

  async withApiKey(apiKey: string, address: string, now: number): Promise<ConsoleIdentity> {
    await this.count([`cs:ip:${address}`], now);
    const account = this.accounts.authenticate(apiKey);
    if (account === undefined) throw gatewayError('GW_SIGN_IN_FAILED');
    this.checkAddress(account, address);
    return { accountId: account.id, user: `key:${createHash('sha256').update(apiKey).digest('hex').slice(0, 12)}`, role: 'operator' };
  }

  /**
   * The identity a session carries, as the accounts in force see it now: a removed account or console user, a
   * changed role or an address outside the allow-list ends what the session may do at its next request.
   */
  current(identity: ConsoleIdentity, address: string): { readonly account: AccountConfig; readonly role: ConsoleRole } | undefined {
    const account = this.accounts.get(identity.accountId);
    if (account === undefined || !this.accounts.allowsAddress(account, address)) return undefined;
    if (identity.user.startsWith('key:')) return { account, role: identity.role };
    const user = account.consoleUsers?.find((candidate) => candidate.name === identity.user);
    return user === undefined ? undefined : { account, role: user.role };
  }

  private checkAddress(account: AccountConfig, address: string): void {
    if (!this.accounts.allowsAddress(account, address)) throw gatewayError('GW_SIGN_IN_FAILED', `${address} may not use account ${account.id}`, { address });
  }

  private async count(keys: readonly string[], now: number): Promise<void> {
    const limits: RateLimit[] = keys.map((key) => ({
      key,
      limit: key.startsWith('cs:ip:') ? this.limits.perAddress : this.limits.perUser,
      windowMs: this.limits.windowMs,
    }));
    const over = overLimit(await this.rates.hit(limits, now));
    if (over !== undefined) throw gatewayError('GW_SIGN_IN_LIMITED', undefined, { retryAfter: Math.ceil(over.retryAfterMs / 1000) });
  }
}

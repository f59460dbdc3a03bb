/** An account as the configuration gives it (see account-registry.ts for how keys are kept). */
import type { AcceptAccount } from '../accept/accept-request.ts';
import type { KeywordConfig } from '../keywords/keyword-settings.ts';
import type { SuppressionSettings } from '../suppressions/suppression-settings.ts';
import type { AccountQuotas } from '../usage/quota-gate.ts';
import type { VerifySettingsConfig } from '../verification/verification-settings.ts';

export interface AccountLimits {
  /** HTTP requests per second (token bucket; burst = twice the rate). */
  readonly requestsPerSecond?: number;
  /** Messages per second accepted (batch items count one each). */
  readonly messagesPerSecond?: number;
}

/** A person who signs in to the web console for an account. */
export interface ConsoleUserConfig {
  readonly name: string;
  /** An argon2id (or argon2i/d) PHC string, as `smsgw keys password` prints it; never the password. */
  readonly passwordHash: string;
  /** operator: sends, runs campaigns, edits suppressions; viewer: reads only. */
  readonly role: ConsoleRole;
}

export const CONSOLE_ROLES = ['operator', 'viewer'] as const;
export type ConsoleRole = (typeof CONSOLE_ROLES)[number];

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
  /** Daily and monthly quotas in messages and/or segments (usage time zone); a submit that would cross one is refused. */
  readonly quotas?: AccountQuotas;
  /** Client addresses the account's API keys work from (CIDR ranges or single addresses, IPv4 and IPv6); any when absent. */
  readonly allowedIps?: readonly string[];
  /** Opt-out / opt-in / HELP keywords of inbound messages, their replies, and the automatic acknowledgement. */
  readonly keywords?: KeywordConfig;
  /** What an opt-out keyword blocks and which tags pass the suppression list (see suppression-settings.ts). */
  readonly suppression?: SuppressionSettings;
  /** Verification (one-time code) settings; every one has a default (README "Verify API"). */
  readonly verify?: VerifySettingsConfig;
  /** Console users of the account (sign-in with name and password); an API key also signs in, as an operator. */
  readonly consoleUsers?: readonly ConsoleUserConfig[];
  /** The IANA time zone the console shows the account's dates and times in (default: usage.timeZone). */
  readonly timeZone?: string;
}

/**
 * An account's suppression settings (`accounts[].suppression`): what a recipient's opt-out keyword blocks, and
 * which tagged traffic the list does not stop.
 * - `scope: "account"` (default): "STOP" to any of the account's numbers stops every message of the account to
 *   that recipient. This is the safe reading of an opt-out (Japan's Act on Specified Electronic Mail binds the
 *   sender, not one of its numbers) and the default.
 * - `scope: "sender"`: "STOP" stops only the sender number the recipient wrote to; the account's other senders
 *   (another brand, another service) still reach them.
 * The scope applies to keyword changes only: an operator, an API call or an import names its sender (or none, for
 * the whole account) itself. At submit the check always matches both the account-wide entry and the sender's own.
 * - `exemptTags`: submits whose `tag` is listed (compared without case) pass the list, e.g. `["otp"]` for one-time
 *   codes the recipient asked for. Empty by default: exemption is an explicit choice, never implied.
 */
import type { SuppressionSource } from '../ports/suppression-store.ts';

export const SUPPRESSION_SCOPES = ['account', 'sender'] as const;
export type SuppressionScope = (typeof SUPPRESSION_SCOPES)[number];

export interface SuppressionSettings {
  readonly scope?: SuppressionScope;
  readonly exemptTags?: readonly string[];
}

/** The sender an entry applies to: a keyword's sender only under scope "sender"; other sources as given. */
export function scopedSender(settings: SuppressionSettings | undefined, source: SuppressionSource, sender: string | undefined): string | undefined {
  if (source.kind !== 'keyword') return sender;
  return (settings?.scope ?? 'account') === 'sender' ? sender : undefined;
}

/** Whether a submit with this tag passes the list. */
export function isExempt(settings: SuppressionSettings | undefined, tag: string | undefined): boolean {
  if (tag === undefined) return false;
  const wanted = tag.toLowerCase();
  return (settings?.exemptTags ?? []).some((exempt) => exempt.toLowerCase() === wanted);
}

/** The JSON schema of `accounts[].suppression` (defaults filled in by the config loader). */
export const SUPPRESSION_SETTINGS_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  default: {},
  properties: {
    scope: { enum: [...SUPPRESSION_SCOPES], default: 'account' },
    exemptTags: { type: 'array', items: { type: 'string', minLength: 1, maxLength: 32 }, uniqueItems: true, default: [] },
  },
} as const;

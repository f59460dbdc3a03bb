import type { SenderRuleConfig } from '../config/routing-config.ts';
import { parseOriginator, type Originator, type OriginatorKind } from '../numbers/originator.ts';
import { toList } from './compiled-rule.ts';

export interface CompiledSenderRule {
  readonly index: number;
  readonly name: string;
  appliesTo(carrier: string, connector: string): boolean;
  accepts(sender: Originator): boolean;
  /** The originator used instead of one that is not accepted (or when none was given). */
  readonly rewrite: Originator | undefined;
}

export type SenderVerdict =
  | { readonly ok: true; readonly sender: Originator | undefined; readonly rewritten: boolean; readonly rule: string | undefined }
  | { readonly ok: false; readonly rule: string; readonly reason: string };

/** Throws (ROUTE_SENDER_INVALID) when the rewrite value is not a valid originator; the config check reports it. */
export function compileSenderRule(config: SenderRuleConfig, index: number, defaultCountry?: string): CompiledSenderRule {
  const carriers = toList(config.carrier);
  const connectors = toList(config.connector);
  const kinds: ReadonlySet<OriginatorKind> | undefined = config.allow === undefined ? undefined : new Set(config.allow);
  const approved = config.senders === undefined ? undefined : new Set(config.senders.map((s) => parseOriginator(s, defaultCountry).value));
  const rewrite = config.rewrite === undefined ? undefined : parseOriginator(config.rewrite, defaultCountry);
  return {
    index,
    name: config.name ?? `senderRules[${index}]`,
    appliesTo: (carrier, connector) => (carriers === undefined || carriers.includes(carrier)) && (connectors === undefined || connectors.includes(connector)),
    accepts: (sender) => (kinds === undefined || kinds.has(sender.kind)) && (approved === undefined || approved.has(sender.value)),
    rewrite,
  };
}

/**
 * The first sender rule that applies to (carrier, connector) decides: keep an accepted originator, rewrite
 * one that is not, or refuse the connector. No rule applying means the originator passes unchanged.
 */
export function judgeSender(rules: readonly CompiledSenderRule[], carrier: string, connector: string, sender: Originator | undefined): SenderVerdict {
  const rule = rules.find((r) => r.appliesTo(carrier, connector));
  if (rule === undefined) return { ok: true, sender, rewritten: false, rule: undefined };
  if (sender !== undefined && rule.accepts(sender)) return { ok: true, sender, rewritten: false, rule: rule.name };
  if (rule.rewrite !== undefined) return { ok: true, sender: rule.rewrite, rewritten: true, rule: rule.name };
  if (sender === undefined) return { ok: true, sender: undefined, rewritten: false, rule: rule.name };
  return { ok: false, rule: rule.name, reason: `originator "${sender.value}" (${sender.kind}) is not accepted by sender rule "${rule.name}"` };
}

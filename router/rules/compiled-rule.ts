import type { RuleConfig, StringOrList } from '../config/routing-config.ts';
import { compileTimeWindow, type TimeWindow } from './time-window.ts';

/** What a rule can match on; built once per decision. */
export interface MatchInput {
  readonly account: string | undefined;
  readonly country: string | undefined;
  readonly carrier: string;
  readonly e164: string;
  /** Normalized originator value, when there is one. */
  readonly sender: string | undefined;
  readonly tag: string | undefined;
  readonly atMs: number;
}

export interface CompiledRule {
  readonly index: number;
  readonly name: string;
  readonly route: string;
  /** True when the rule has no condition: a catch-all. */
  readonly isCatchAll: boolean;
  matches(input: MatchInput): boolean;
}

export function toList(value: StringOrList | undefined): readonly string[] | undefined {
  if (value === undefined) return undefined;
  return typeof value === 'string' ? [value] : value;
}

function setOf(value: StringOrList | undefined): ReadonlySet<string> | undefined {
  const list = toList(value);
  return list === undefined ? undefined : new Set(list);
}

/** Conditions are ANDed; the values inside one condition are ORed. */
export function compileRule(config: RuleConfig, index: number): CompiledRule {
  const match = config.match ?? {};
  const account = setOf(match.account);
  const country = setOf(match.country);
  const carrier = setOf(match.carrier);
  const sender = setOf(match.sender);
  const tag = setOf(match.tag);
  const prefixes = toList(match.prefix)?.map((p) => (p.startsWith('+') ? p : `+${p}`));
  const time: TimeWindow | undefined = match.time === undefined ? undefined : compileTimeWindow(match.time);
  const isCatchAll = [account, country, carrier, sender, tag, prefixes, time].every((c) => c === undefined);
  return {
    index,
    name: config.name,
    route: config.route,
    isCatchAll,
    matches(input) {
      if (account !== undefined && (input.account === undefined || !account.has(input.account))) return false;
      if (country !== undefined && (input.country === undefined || !country.has(input.country))) return false;
      if (carrier !== undefined && !carrier.has(input.carrier)) return false;
      if (tag !== undefined && (input.tag === undefined || !tag.has(input.tag))) return false;
      if (sender !== undefined && (input.sender === undefined || !sender.has(input.sender))) return false;
      if (prefixes !== undefined && !prefixes.some((p) => input.e164.startsWith(p))) return false;
      if (time !== undefined && !time.contains(input.atMs)) return false;
      return true;
    },
  };
}

import type { CarrierAnswer } from '../carriers/carrier-answer.ts';
import type { CarrierData } from '../carriers/carrier-resolver.ts';
import { PrefixTable, type PrefixEntry } from '../carriers/prefix-table.ts';
import { carrierProfiles, type CarrierProfile } from '../carriers/carrier-profiles.ts';
import { knownCarriers } from '../carriers/known-carriers.ts';
import type { HlrConfig, RoutingConfig } from '../config/routing-config.ts';
import { compileRule, type CompiledRule } from './compiled-rule.ts';
import { compileSenderRule, type CompiledSenderRule } from './sender-rules.ts';
import { compileRoute, type CompiledRoute } from './strategies.ts';

/**
 * Everything one routing decision needs, compiled from one configuration: immutable once built, so a reload
 * builds a new table and swaps the reference (RouterHandle.swap). Build it with `buildRoutingTable`, which
 * validates first; this constructor trusts its input.
 */
export class RoutingTable {
  readonly version: string;
  readonly fileName: string;
  readonly config: RoutingConfig;
  readonly rules: readonly CompiledRule[];
  readonly routes: ReadonlyMap<string, CompiledRoute>;
  readonly senderRules: readonly CompiledSenderRule[];
  readonly carriers: CarrierData;
  /** Every carrier id this table can name (range data, `carriers.ranges`, `names`, `defaults`): what a port may move a number to. */
  readonly knownCarriers: ReadonlySet<string>;
  /** What each carrier takes in one message: the built-in Japanese profiles, replaced or extended by `carriers.profiles`. */
  readonly profiles: ReadonlyMap<string, CarrierProfile>;
  /** HLR hook settings, when enabled; the hook itself is built by the gateway, which owns the HTTP client. */
  readonly hlr: HlrConfig | undefined;

  constructor(config: RoutingConfig, fileName: string, version: string, rangeEntries: readonly (readonly PrefixEntry[])[]) {
    this.config = config;
    this.fileName = fileName;
    this.version = version;
    this.rules = config.rules.map(compileRule);
    this.routes = new Map(Object.entries(config.routes).map(([id, route]) => [id, compileRoute(id, route)]));
    this.senderRules = (config.senderRules ?? []).map((rule, index) => compileSenderRule(rule, index));
    const names = new Map(Object.entries(config.carriers?.names ?? {}));
    const named = (entry: PrefixEntry): PrefixEntry => {
      const name = names.get(entry.carrier);
      return name === undefined || entry.name !== undefined ? entry : { ...entry, name };
    };
    const inline: PrefixEntry[] = Object.entries(config.carriers?.ranges ?? {}).map(([prefix, carrier]) => ({
      prefix: prefix.replace(/^\+/, ''),
      carrier,
      source: 'ranges',
    }));
    const layers = [...rangeEntries, inline];
    const ranges = PrefixTable.build(layers.flatMap((layer) => layer.map((e) => Object.freeze(named(e)))));
    const defaults = new Map<string, CarrierAnswer>(
      Object.entries(config.carriers?.defaults ?? {}).map(([country, carrier]) => {
        const name = names.get(carrier);
        const answer: CarrierAnswer = name === undefined ? { carrier, source: 'default' } : { carrier, name, source: 'default' };
        return [country, Object.freeze(answer)];
      }),
    );
    this.carriers = { ranges, defaults, names };
    this.knownCarriers = knownCarriers(rangeEntries, config.carriers);
    this.profiles = carrierProfiles(config.carriers?.profiles);
    const hlr = config.mnp?.hlr;
    this.hlr = hlr !== undefined && hlr.enabled === true ? hlr : undefined;
  }
}

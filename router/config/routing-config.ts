import type { OriginatorKind } from '../numbers/originator.ts';

/** The configuration sections the router owns: `carriers`, `routes`, `rules`, `senderRules`, `mnp`. */
export type StringOrList = string | readonly string[];

export interface TimeWindowConfig {
  /** `HH:MM`, local time in `timezone`; inclusive. */
  readonly from: string;
  /** `HH:MM`, exclusive; a window with `to` before `from` runs across midnight. */
  readonly to: string;
  /** IANA time zone, e.g. `Asia/Tokyo`. */
  readonly timezone: string;
}

export interface RuleMatchConfig {
  readonly account?: StringOrList;
  readonly country?: StringOrList;
  readonly carrier?: StringOrList;
  readonly prefix?: StringOrList;
  readonly sender?: StringOrList;
  readonly tag?: StringOrList;
  readonly time?: TimeWindowConfig;
}

export interface RuleConfig {
  readonly name: string;
  readonly match?: RuleMatchConfig;
  readonly route: string;
}

export type RouteStrategy = 'failover' | 'weighted' | 'least-cost';

export interface RouteConnectorConfig {
  /** Id of a connector in the `connectors` section. */
  readonly id: string;
  readonly weight?: number;
  /** Price per segment: one number, or per carrier id with an optional `default`. */
  readonly price?: number | Readonly<Record<string, number>>;
}

export interface RouteConfig {
  readonly strategy: RouteStrategy;
  readonly currency?: string;
  readonly connectors: readonly RouteConnectorConfig[];
}

export interface SenderRuleConfig {
  readonly name?: string;
  readonly carrier?: StringOrList;
  readonly connector?: StringOrList;
  /** Originator kinds accepted; all when absent. */
  readonly allow?: readonly OriginatorKind[];
  /** Approved originators; when present, only these pass. */
  readonly senders?: readonly string[];
  /** Used instead of an originator that does not pass; without it such an originator is refused. */
  readonly rewrite?: string;
}

export interface CarriersConfig {
  /** Carrier id per ISO country when no other source knows a number. */
  readonly defaults?: Readonly<Record<string, string>>;
  readonly names?: Readonly<Record<string, string>>;
  /** Extra ranges: E.164 digit prefix to carrier id; they take precedence over the data files. */
  readonly ranges?: Readonly<Record<string, string>>;
  /** Extra range files (`prefix,carrier[,name]`), relative to the configuration file. */
  readonly rangeFiles?: readonly string[];
  /** Load the ranges shipped in router/data (default true). */
  readonly builtinRanges?: boolean;
  /** What each carrier takes in one message (most parts, concatenation reference size); replaces built-in profiles. */
  readonly profiles?: Readonly<Record<string, { readonly maxParts: number; readonly refSize: 8 | 16 }>>;
}

export interface HlrConfig {
  readonly enabled?: boolean;
  /** `{number}` is replaced by the E.164 number without `+`. */
  readonly url: string;
  readonly timeoutMs?: number;
  readonly cacheTtlSeconds?: number;
  /** JSON field of the answer that holds the carrier (default `carrier`). */
  readonly carrierField?: string;
  /** Maps the service's values (names, MCC-MNC) to carrier ids. */
  readonly carrierMap?: Readonly<Record<string, string>>;
}

export interface MnpConfig {
  readonly hlr?: HlrConfig;
  /**
   * Portability CSV for the memory mode (the format `smsgw mnp import` reads), relative to the configuration
   * file; loaded at start and again on reload. With Redis the data lives in Redis instead.
   */
  readonly file?: string;
  /** Country for national numbers in `file` (e.g. `JP` for `090...`), like `smsgw mnp import --country`. */
  readonly country?: string;
}

export interface RoutingConfig {
  readonly carriers?: CarriersConfig;
  readonly routes: Readonly<Record<string, RouteConfig>>;
  readonly rules: readonly RuleConfig[];
  readonly senderRules?: readonly SenderRuleConfig[];
  readonly mnp?: MnpConfig;
}

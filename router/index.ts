/** The router: number normalization, MNP-aware carrier lookup and routing rules. Pure decisions, no I/O. */
export { ROUTE_ERRORS, RouteError, routeError } from './errors.ts';
export type { RouteErrorCode } from './errors.ts';

export { normalizeNumber } from './numbers/normalize-number.ts';
export type { NormalizeOptions, NormalizedNumber } from './numbers/normalize-number.ts';
export { parseOriginator } from './numbers/originator.ts';
export type { Originator, OriginatorKind } from './numbers/originator.ts';
export { isGsmBasicText } from './numbers/gsm-alphabet.ts';

export type { CarrierAnswer, CarrierSource } from './carriers/carrier-answer.ts';
export { PrefixTable } from './carriers/prefix-table.ts';
export type { PrefixEntry } from './carriers/prefix-table.ts';
export { parseRangeData, CARRIER_ID } from './carriers/range-data.ts';
export { BUILTIN_RANGE_FILES } from './carriers/builtin-range-files.ts';
export { portInForce } from './carriers/porting-source.ts';
export type { PortingRecord, PortingSource, ImportOptions } from './carriers/porting-source.ts';
export { MemoryPortingSource } from './carriers/memory-porting-source.ts';
export { parsePortingRow, isPortingHeader } from './carriers/porting-row.ts';
export { knownCarriers } from './carriers/known-carriers.ts';
export { BUILTIN_CARRIER_PROFILES, DEFAULT_CARRIER_PROFILE } from './carriers/carrier-profiles.ts';
export type { CarrierProfile } from './carriers/carrier-profiles.ts';
export type { PortingRowField, PortingRowOptions, PortingRowResult } from './carriers/porting-row.ts';
export { CarrierResolver, lookupOffline, UNKNOWN_CARRIER } from './carriers/carrier-resolver.ts';
export type { CarrierData, CarrierResolverDeps, NumberToResolve, DegradedAnswer } from './carriers/carrier-resolver.ts';
export { HlrHook } from './carriers/hlr-hook.ts';
export type { HlrFetcher, HlrHookOptions, HlrStats } from './carriers/hlr-hook.ts';

export type * from './config/routing-config.ts';
export { ROUTING_SCHEMA } from './config/routing-schema.ts';
export { buildRoutingTable, loadRoutingTable, parseRoutingYaml, connectorIdsOf } from './config/build-routing-table.ts';
export type { BuildOptions } from './config/build-routing-table.ts';
export { formatIssue } from './config/config-issue.ts';
export type { ConfigIssue } from './config/config-issue.ts';
export { DEFAULT_ROUTING_YAML, DEFAULT_ROUTING_FILE_NAME } from './config/default-routing.ts';

export { RoutingTable } from './rules/routing-table.ts';
export { decideRoute } from './rules/decide-route.ts';
export type { DecisionContext, DecisionInput, RouteDecision, ConnectorChoice, SkippedConnector } from './rules/decide-route.ts';
export { orderConnectors } from './rules/strategies.ts';
export type { IsUp, RandomSource, CompiledRoute, RouteConnector } from './rules/strategies.ts';
export { minuteOfDay } from './rules/time-window.ts';

export { RouterHandle } from './router-handle.ts';
export type { RouteRequest, ReloadResult, BulkOutcome } from './router-handle.ts';

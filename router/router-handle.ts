import { CarrierResolver, type CarrierResolverDeps } from './carriers/carrier-resolver.ts';
import { normalizeNumber, type NormalizedNumber } from './numbers/normalize-number.ts';
import { parseOriginator, type Originator } from './numbers/originator.ts';
import { decideRoute, type DecisionContext, type RouteDecision } from './rules/decide-route.ts';
import type { RoutingTable } from './rules/routing-table.ts';

export interface RouteRequest {
  readonly to: string;
  readonly from?: string;
  readonly account?: string;
  readonly tag?: string;
  /** The account's default country for national numbers. */
  readonly defaultCountry?: string;
  /** The account accepts only mobile destinations. */
  readonly requireMobile?: boolean;
  /** Decision time (time-of-day rules, effective dates of ports); an input so decisions are reproducible. */
  readonly at: Date;
}

export type BulkOutcome = { readonly ok: true; readonly decision: RouteDecision } | { readonly ok: false; readonly error: unknown };

export type ReloadResult = { readonly ok: true; readonly table: RoutingTable; readonly previous: RoutingTable } | { readonly ok: false; readonly error: unknown };

/**
 * The live router: one RoutingTable reference plus the long-lived carrier sources. `swap` replaces the table
 * in one assignment; a decision reads the reference once at its start and keeps that table to the end, even
 * across the awaits of the porting lookup, so in-flight decisions never mix two configurations.
 */
export class RouterHandle {
  private current: RoutingTable;
  private readonly resolver: CarrierResolver;

  constructor(table: RoutingTable, deps: CarrierResolverDeps = {}) {
    this.current = table;
    this.resolver = new CarrierResolver(deps);
  }

  get table(): RoutingTable {
    return this.current;
  }

  /** Installs `next` and returns the table it replaced. */
  swap(next: RoutingTable): RoutingTable {
    const previous = this.current;
    this.current = next;
    return previous;
  }

  /**
   * What a reload (SIGHUP, admin call) runs: build the new table and swap it in; when building throws
   * (a bad configuration), the old table stays in force and the error is returned for the operator.
   */
  reload(build: () => RoutingTable): ReloadResult {
    let next: RoutingTable;
    try {
      next = build();
    } catch (error: unknown) {
      return { ok: false, error };
    }
    return { ok: true, table: next, previous: this.swap(next) };
  }

  async decide(request: RouteRequest, context: DecisionContext = {}): Promise<RouteDecision> {
    const table = this.current;
    const number = normalizeNumber(request.to, { defaultCountry: request.defaultCountry, requireMobile: request.requireMobile });
    const sender = request.from === undefined ? undefined : parseOriginator(request.from, request.defaultCountry);
    const atMs = request.at.getTime();
    context.numbered?.(number, sender);
    const carrier = await this.resolver.resolve(table.carriers, number, atMs);
    return decideRoute(table, { number, carrier, sender, account: request.account, tag: request.tag, atMs }, context);
  }

  /**
   * Bulk form for large sends: one table for the whole batch, one pipelined porting read (the HLR hook is not
   * asked), and one outcome per request in the same order; a bad request fails alone.
   */
  async decideMany(requests: readonly RouteRequest[], context: DecisionContext = {}): Promise<BulkOutcome[]> {
    const table = this.current;
    const outcomes = new Array<BulkOutcome | undefined>(requests.length);
    const parsed: { index: number; number: NormalizedNumber; sender: Originator | undefined }[] = [];
    requests.forEach((request, index) => {
      try {
        const number = normalizeNumber(request.to, { defaultCountry: request.defaultCountry, requireMobile: request.requireMobile });
        const sender = request.from === undefined ? undefined : parseOriginator(request.from, request.defaultCountry);
        parsed.push({ index, number, sender });
      } catch (error: unknown) {
        outcomes[index] = { ok: false, error };
      }
    });
    const byTime = new Map<number, typeof parsed>();
    for (const item of parsed) {
      const atMs = (requests[item.index] as RouteRequest).at.getTime();
      const group = byTime.get(atMs) ?? [];
      group.push(item);
      byTime.set(atMs, group);
    }
    for (const [atMs, group] of byTime) {
      const carriers = await this.resolver.resolveMany(table.carriers, group.map((g) => g.number), atMs);
      group.forEach((item, i) => {
        const request = requests[item.index] as RouteRequest;
        try {
          const carrier = carriers[i] as (typeof carriers)[number];
          outcomes[item.index] = { ok: true, decision: decideRoute(table, { number: item.number, carrier, sender: item.sender, account: request.account, tag: request.tag, atMs }, context) };
        } catch (error: unknown) {
          outcomes[item.index] = { ok: false, error };
        }
      });
    }
    return outcomes as BulkOutcome[];
  }
}

import type { CarrierAnswer } from '../carriers/carrier-answer.ts';
import { DEFAULT_CARRIER_PROFILE, type CarrierProfile } from '../carriers/carrier-profiles.ts';
import { routeError } from '../errors.ts';
import type { NormalizedNumber } from '../numbers/normalize-number.ts';
import type { Originator, OriginatorKind } from '../numbers/originator.ts';
import type { RouteStrategy } from '../config/routing-config.ts';
import type { RoutingTable } from './routing-table.ts';
import { judgeSender } from './sender-rules.ts';
import { orderConnectors, type IsUp, type RandomSource } from './strategies.ts';

export interface DecisionInput {
  readonly number: NormalizedNumber;
  readonly carrier: CarrierAnswer;
  readonly sender: Originator | undefined;
  readonly account: string | undefined;
  readonly tag: string | undefined;
  readonly atMs: number;
}

export interface DecisionContext {
  readonly isUp?: IsUp;
  readonly random?: RandomSource;
  /**
   * Told the parsed number and sender before the carrier lookup's I/O starts (RouterHandle.decide), so a caller can
   * start reads of its own that need only the number while the lookup is under way.
   */
  readonly numbered?: (number: NormalizedNumber, sender: Originator | undefined) => void;
}

export interface ConnectorChoice {
  readonly id: string;
  /** Per-segment price for the destination carrier, when the route gives one. */
  readonly price: number | undefined;
  readonly currency: string | undefined;
  readonly weight: number;
  /** Originator to submit with on this connector (after sender rules); null lets the connector use its own. */
  readonly sender: string | null;
  readonly senderKind: OriginatorKind | null;
  readonly senderRewritten: boolean;
  /** The sender rule that decided on this connector (kept or rewrote the originator), when one applied. */
  readonly senderRule: string | null;
}

export interface SkippedConnector {
  readonly id: string;
  readonly reason: 'down' | 'sender-refused';
  readonly detail?: string;
}

export interface RouteDecision {
  readonly to: { readonly input: string; readonly e164: string; readonly country: string | undefined; readonly type: string };
  readonly carrier: CarrierAnswer;
  /** What the destination's carrier takes in one message (its profile, else the default). */
  readonly profile: CarrierProfile;
  readonly rule: { readonly index: number; readonly name: string };
  readonly route: { readonly id: string; readonly strategy: RouteStrategy };
  /** Connectors in the order to try: the first, then the failover order. Never empty. */
  readonly connectors: readonly ConnectorChoice[];
  readonly skipped: readonly SkippedConnector[];
  readonly sender: { readonly requested: string | null; readonly used: string | null; readonly kind: string | null; readonly rewritten: boolean; readonly rule: string | null };
  readonly tableVersion: string;
}

const allUp: IsUp = () => true;

/** The pure core of routing: first matching rule, its route's strategy, then sender rules per connector. */
export function decideRoute(table: RoutingTable, input: DecisionInput, context: DecisionContext = {}): RouteDecision {
  const matchInput = {
    account: input.account,
    country: input.number.country,
    carrier: input.carrier.carrier,
    e164: input.number.e164,
    sender: input.sender?.value,
    tag: input.tag,
    atMs: input.atMs,
  };
  const rule = table.rules.find((r) => r.matches(matchInput));
  if (rule === undefined) throw routeError('ROUTE_NO_RULE', `for ${input.number.e164}`, { value: input.number.e164, table: table.version });
  const route = table.routes.get(rule.route);
  if (route === undefined) throw routeError('ROUTE_UNKNOWN_ROUTE', `"${rule.route}" in rule "${rule.name}"`, { field: 'route', value: rule.route });
  const { ordered, down } = orderConnectors(route, input.carrier.carrier, context.isUp ?? allUp, context.random ?? Math.random);
  const skipped: SkippedConnector[] = down.map((c) => ({ id: c.id, reason: 'down' }));
  const connectors: ConnectorChoice[] = [];
  let refusedBy: string | undefined;
  for (const connector of ordered) {
    const verdict = judgeSender(table.senderRules, input.carrier.carrier, connector.id, input.sender);
    if (!verdict.ok) {
      skipped.push({ id: connector.id, reason: 'sender-refused', detail: verdict.reason });
      refusedBy ??= verdict.rule;
      continue;
    }
    connectors.push({
      id: connector.id,
      price: connector.priceFor(input.carrier.carrier),
      currency: route.currency,
      weight: connector.weight,
      sender: verdict.sender?.value ?? null,
      senderKind: verdict.sender?.kind ?? null,
      senderRewritten: verdict.rewritten,
      senderRule: verdict.rule ?? null,
    });
  }
  const first = connectors[0];
  if (first === undefined) {
    const details = { rule: rule.name, route: route.id, skipped };
    if (ordered.length === 0) throw routeError('ROUTE_NO_HEALTHY_CONNECTOR', `route "${route.id}" (rule "${rule.name}")`, details);
    throw routeError('ROUTE_SENDER_NOT_ALLOWED', `"${input.sender?.value ?? ''}" on route "${route.id}" for carrier ${input.carrier.carrier}`, {
      ...details,
      field: 'from',
      value: input.sender?.value,
      carrier: input.carrier.carrier,
      ...(refusedBy === undefined ? {} : { senderRule: refusedBy }),
    });
  }
  return {
    to: { input: input.number.input, e164: input.number.e164, country: input.number.country, type: input.number.type },
    carrier: input.carrier,
    profile: table.profiles.get(input.carrier.carrier) ?? DEFAULT_CARRIER_PROFILE,
    rule: { index: rule.index, name: rule.name },
    route: { id: route.id, strategy: route.strategy },
    connectors,
    skipped,
    sender: {
      requested: input.sender?.value ?? null,
      used: first.sender,
      kind: first.senderKind,
      rewritten: first.senderRewritten,
      rule: first.senderRule,
    },
    tableVersion: table.version,
  };
}

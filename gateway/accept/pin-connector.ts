import type { ConnectorChoice, RouteDecision } from '../../router/index.ts';

/**
 * A gateway service's pinned connector put first (a keyword reply goes back the way its inbound came), the route's
 * other connectors kept behind it for failover. On the route, the pinned connector keeps the route's sender and
 * price; off the route, it sends from the request's originator. An unknown or down connector, or one whose sender
 * rules refused the originator, pins nothing: the route decides as usual.
 */
export function pinConnector(decision: RouteDecision, pinned: string | undefined, isUp: ((connectorId: string) => boolean) | undefined): RouteDecision {
  if (pinned === undefined || decision.connectors[0]?.id === pinned) return decision;
  const onRoute = decision.connectors.find((choice) => choice.id === pinned);
  if (onRoute === undefined && (isUp?.(pinned) !== true || decision.skipped.some((skip) => skip.id === pinned && skip.reason === 'sender-refused'))) return decision;
  if (onRoute !== undefined && isUp !== undefined && !isUp(pinned)) return decision;
  const choice: ConnectorChoice = onRoute ?? {
    id: pinned,
    price: undefined,
    currency: undefined,
    weight: 1,
    sender: decision.sender.requested,
    senderKind: null,
    senderRewritten: false,
    senderRule: null,
  };
  return {
    ...decision,
    connectors: [choice, ...decision.connectors.filter((other) => other.id !== pinned)],
    sender: { ...decision.sender, used: choice.sender, kind: choice.senderKind, rewritten: choice.senderRewritten, rule: choice.senderRule },
  };
}

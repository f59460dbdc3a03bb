import { gatewayError } from '../errors.ts';

/**
 * Messages waiting per connector, as last sampled from the route queues plus what this process queued since: a new
 * message is refused once its connector's backlog is at the bound (scheduled messages always go in).
 */
export class ConnectorBacklog {
  private readonly waiting = new Map<string, number>();

  constructor(private readonly limit = 1_000_000) {}

  admit(connectorId: string | undefined): void {
    if (connectorId === undefined) return;
    const waiting = this.waiting.get(connectorId) ?? 0;
    if (waiting >= this.limit) {
      throw gatewayError('GW_BACKLOG_FULL', `connector ${connectorId} has ${waiting} messages waiting (bound: maxBacklogPerConnector ${this.limit})`, {
        bound: 'connector',
        connector: connectorId,
        limit: this.limit,
        retryAfter: 30,
      });
    }
    this.waiting.set(connectorId, waiting + 1);
  }

  sampled(connectorId: string, waiting: number): void {
    this.waiting.set(connectorId, waiting);
  }
}

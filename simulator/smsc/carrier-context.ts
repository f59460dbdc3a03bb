/**
 * What one ESME connection needs of the carrier it belongs to. An interface of its own so the connection and the
 * carrier do not import each other.
 */
import type { Behaviour } from './behaviour.ts';
import type { DeliverCounters, DeliverItem } from './deliver-queue.ts';
import type { DueQueue } from './due-queue.ts';
import type { MessageIdCounter } from './message-ids.ts';
import type { MessageRecords } from './message-records.ts';
import type { RateWindow } from './rate-window.ts';

export interface SmscAccount {
  readonly systemId: string;
  readonly password: string;
  /** Most simultaneous binds of this account (any mode). */
  readonly maxBinds: number;
}

export type BindMode = 'transmitter' | 'receiver' | 'transceiver';

export interface CarrierCounters extends DeliverCounters {
  /** PDUs received, by command name. */
  readonly received: Record<string, number>;
  /** PDUs sent, by command name. */
  readonly sent: Record<string, number>;
  /** command_status of every submit_sm_resp / data_sm_resp sent, by status name. */
  readonly submitStatuses: Record<string, number>;
  acceptedParts: number;
  receiptsGenerated: number;
  receiptsAcknowledged: number;
  moPartsAcknowledged: number;
  bindFailures: number;
  connectionsDropped: number;
  enquireLinksIgnored: number;
  /** enquire_link and unbind the SMSC itself sent to ESMEs. */
  enquireLinksSent: number;
  unbindsSent: number;
  /** The most submits ever outstanding at once on one bind (a driver's window, seen from the SMSC). */
  maxOutstandingSubmits: number;
}

export function newCounters(): CarrierCounters {
  return {
    received: {},
    sent: {},
    submitStatuses: {},
    acceptedParts: 0,
    receiptsGenerated: 0,
    receiptsAcknowledged: 0,
    moPartsAcknowledged: 0,
    bindFailures: 0,
    connectionsDropped: 0,
    enquireLinksIgnored: 0,
    enquireLinksSent: 0,
    unbindsSent: 0,
    maxOutstandingSubmits: 0,
    pendingOverflow: 0,
    deliverSmTimeouts: 0,
    deliverSmRetries: 0,
    deliverSmDropped: 0,
    deliverSmErrors: 0,
  };
}

/** A bound connection as the carrier sees it when routing deliver_sm. */
export interface DeliverTarget {
  readonly id: number;
  readonly systemId: string | undefined;
  readonly mode: BindMode | undefined;
  readonly open: boolean;
  deliver(item: DeliverItem): void;
}

export interface CarrierContext {
  readonly name: string;
  /** system_id the SMSC answers binds with. */
  readonly systemId: string;
  readonly behaviour: Behaviour;
  readonly random: () => number;
  readonly scheduler: DueQueue;
  readonly ids: MessageIdCounter;
  readonly records: MessageRecords;
  readonly counters: CarrierCounters;
  /** Most deliver_sm kept waiting per account (no receiver) and per bind (beyond its window). */
  readonly maxPendingDeliveries: number;
  /** Checks the credentials and the account's bind limit; the command_status to answer (0: bound). */
  authorize(systemId: string, password: string): number;
  /** The account-wide sliding-second window when the throttle is per account. */
  accountThrottle(systemId: string): RateWindow | undefined;
  /** Sends a deliver_sm to a receiving bind of the account (preferring `preferred`), or keeps it until one binds. */
  routeDeliver(systemId: string, item: DeliverItem, preferred?: DeliverTarget): void;
  /** A bind of the account is ready to receive: hand it what waited. */
  receiverReady(target: DeliverTarget): void;
  /** The connection is gone: re-route what it had not delivered. */
  connectionClosed(target: DeliverTarget, undelivered: readonly DeliverItem[]): void;
}

/** The shapes a bind shares with its connector: roles and states, what the window holds, and the callbacks. */
import type { SmppError } from './errors.ts';
import type { SmppClock } from './clock.ts';
import type { SocketFactory } from './socket-factory.ts';

export type BindRole = 'transceiver' | 'transmitter' | 'receiver';
export type BindState = 'idle' | 'connecting' | 'binding' | 'bound' | 'unbinding' | 'closing';

/** What a bind carries for the connector: the window holds these, keyed by sequence_number. */
export interface InFlight {
  sentAt: number;
}

/**
 * A request other than submit_sm awaiting its answer (query_sm): the session calls exactly one of its methods, once.
 * Rare next to submits, so each carries its own callbacks; it does not count against the submit window.
 */
export interface PendingRequest {
  sentAt: number;
  /** The response, or a generic_nack answering it. */
  answered(frame: Buffer): void;
  /** No answer within `submitTimeoutMs`. */
  timedOut(): void;
  /** The connection ended first. */
  lost(reason: SmppError): void;
}

/** The connector side of a bind: plain methods rather than closures per PDU. */
/** `B` is the bind itself (BindSession), named by the bind so this module need not import it. */
export interface BindOwner<J extends InFlight, B> {
  bound(bind: B): void;
  /** The connection ended (or never came up); `lost` are the submits written and not answered. */
  down(bind: B, reason: SmppError, wasBound: boolean, lost: J[]): void;
  submitAnswered(bind: B, job: J, status: number, messageId: string): void;
  submitTimedOut(bind: B, job: J): void;
  /** A deliver_sm or data_sm; the owner must call `answerDelivery` exactly once for it. */
  delivery(bind: B, generation: number, frame: Buffer): void;
}

/** What a bind takes from outside: the clock it reads and the way it opens its connection. */
export interface BindDeps {
  readonly clock: SmppClock;
  readonly connect: SocketFactory;
}

/**
 * The one interface every transport (SMPP connector, modem pool) implements, so the gateway dispatches,
 * correlates receipts and takes inbound messages the same way whatever carries them.
 * Types only: no I/O here.
 */
import type { CodedError } from '../../common/index.ts';
import type { EncodedMessage, ReceiptState } from '../codec/index.ts';

export type TransportKind = 'smpp' | 'modem';

/** One message handed to a driver: the codec's parts are exactly what is sent and billed. */
export interface SendRequest {
  /** The gateway's message id (for logs and correlation; never sent to the carrier). */
  readonly messageId: string;
  /** Destination in E.164 with the leading '+'. */
  readonly to: string;
  /** Originator: E.164 number, short code, or alphanumeric sender id. */
  readonly from: string;
  readonly encoded: EncodedMessage;
  /** Ask for a delivery receipt for every part. */
  readonly receipt: boolean;
  /** Validity period in seconds (relative). */
  readonly validitySeconds?: number;
  /** Flash message (class 0). */
  readonly flash?: boolean;
  /** Higher is more urgent (OTP before bulk); drivers may map it to priority_flag. */
  readonly priority?: number;
  /** Only these part numbers (1-based) are sent; default all. Used when resending after a partial failure. */
  readonly onlyParts?: readonly number[];
  /** The destination's carrier as routing found it (after MNP), so a modem pool can prefer an on-net SIM. */
  readonly carrier?: string;
}

/**
 * The carrier's own answer for a part that failed or whose outcome is unknown, kept beside its state: the SMPP
 * command_status of submit_sm_resp / generic_nack, or the modem's +CMS ERROR / +CME ERROR number.
 */
export interface PartCarrierValue {
  readonly commandStatus?: number;
  readonly cmsError?: number;
  readonly cmeError?: number;
}

export type PartOutcome =
  | {
      readonly seq: number;
      readonly status: 'submitted';
      /** The carrier's message id, normalized (see `normalizeMessageId`) so receipts match it. */
      readonly carrierMessageId: string;
      /** Which bind or modem carried it (for logs and health). */
      readonly via: string;
    }
  | { readonly seq: number; readonly status: 'failed'; readonly error: CodedError; readonly raw?: PartCarrierValue }
  /** Sent, but the answer never came (connection lost, timeout): the part may or may not have left. */
  | { readonly seq: number; readonly status: 'unknown'; readonly error: CodedError; readonly raw?: PartCarrierValue };

export interface SendResult {
  readonly connectorId: string;
  readonly parts: readonly PartOutcome[];
}

/** Delivery states of SMPP 3.4 message_state, which modem status reports map onto too (defined by the codec). */
export type { ReceiptState } from '../codec/index.ts';

export interface Receipt {
  readonly connectorId: string;
  /** Normalized like PartOutcome.carrierMessageId. */
  readonly carrierMessageId: string;
  readonly state: ReceiptState;
  /** False for intermediate notifications (SMPP esm_class 0x20, TP-ST "still trying"). */
  readonly final: boolean;
  /** Carrier values as received, kept beside the normalized state. */
  readonly raw: {
    readonly stat?: string;
    readonly err?: string;
    readonly messageState?: number;
    readonly networkErrorCode?: string;
    readonly tpStatus?: number;
    readonly text?: string;
  };
  readonly submittedAt?: Date;
  readonly doneAt?: Date;
  readonly receivedAt: Date;
}

/** Asks the carrier where one submitted part stands (SMPP query_sm), for a part whose receipt never came. */
export interface QueryRequest {
  /** As `PartOutcome.carrierMessageId` gave it (normalized); the driver sends it in the form the carrier used. */
  readonly carrierMessageId: string;
  /** The originator the part was sent from (`SendRequest.from`): SMPP query_sm must repeat it. */
  readonly from: string;
}

export type QueryOutcome =
  | {
      readonly status: 'found';
      readonly carrierMessageId: string;
      readonly state: ReceiptState;
      /** False while the carrier still tries (ENROUTE, ACCEPTED) or reports a state this table does not know. */
      readonly final: boolean;
      /** Carrier values as received: SMPP message_state, error_code and final_date (absolute time; absent when NULL). */
      readonly raw: { readonly messageState: number; readonly errorCode?: number; readonly finalDate?: string };
      /** final_date read as a time, when the carrier gave one. */
      readonly doneAt?: Date;
    }
  /** The carrier could not answer: unknown id, query not offered, timeout, no link up (see the error's code). */
  | { readonly status: 'failed'; readonly error: CodedError };

export interface InboundMessage {
  readonly connectorId: string;
  /** Originator as received (E.164 with '+' when international, or alphanumeric). */
  readonly from: string;
  /** Destination as received (our number or short code). */
  readonly to: string;
  readonly text: string;
  readonly encoding: 'gsm7' | 'ucs2' | 'binary';
  /** Raw octets for binary messages. */
  readonly binary?: Uint8Array;
  readonly parts: number;
  /** False when the reassembly timeout passed before every part arrived. */
  readonly complete: boolean;
  readonly receivedAt: Date;
}

/**
 * Where a driver hands what it receives. The driver waits for the promise before it acknowledges
 * to the carrier (deliver_sm_resp, AT+CMGD), so nothing acknowledged is lost; a rejected promise makes
 * the driver answer with a temporary error so the carrier retries.
 */
export interface DriverSink {
  receipt(receipt: Receipt): Promise<void>;
  inbound(message: InboundMessage): Promise<void>;
}

export interface LinkHealth {
  /** Bind or modem id (a modem is named by IMEI, never by its tty path). */
  readonly id: string;
  readonly up: boolean;
  readonly detail: Readonly<Record<string, string | number | boolean | null>>;
}

export interface DriverHealth {
  readonly connectorId: string;
  readonly kind: TransportKind;
  /** True when at least one bind or modem can send. */
  readonly up: boolean;
  readonly links: readonly LinkHealth[];
  readonly counters: Readonly<Record<string, number>>;
}

export interface DriverEvents {
  up: (linkId: string) => void;
  down: (linkId: string, reason: string) => void;
  /** The carrier pushed back (ESME_RTHROTTLED, queue full, modem rate limit); `ratePerSecond` is the new pace. */
  throttled: (ratePerSecond: number) => void;
}

export interface Driver {
  readonly id: string;
  readonly kind: TransportKind;
  /** Connects / opens and keeps reconnecting until close(). Resolves once started, not once up. */
  start(sink: DriverSink): Promise<void>;
  /** Sends every part (or `onlyParts`) in order; never rejects for a per-part failure, which is in the result. */
  send(request: SendRequest): Promise<SendResult>;
  health(): DriverHealth;
  /**
   * Present only when the connector offers it (SMPP `querySm: true`): the carrier's current state of one
   * submitted part. Never rejects; every failure is a `failed` outcome with a coded error.
   */
  readonly query?: (request: QueryRequest) => Promise<QueryOutcome>;
  /**
   * Present when the driver can open a share of its binds (SMPP: `binds` slots, one transceiver or one
   * transmitter and receiver pair each), so several processes split a carrier's bind count. Without it the
   * driver is owned whole, by one process.
   */
  readonly bindSlots?: number;
  /**
   * Opens exactly these bind slots (0-based) and unbinds the others; before `start`, it limits what `start`
   * opens. Without a call every slot is open. Resolves once the slots given up are unbound.
   */
  own?(slots: readonly number[]): Promise<void>;
  /** Stops taking sends, waits for in-flight ones, unbinds / closes ports. */
  close(): Promise<void>;
  on<E extends keyof DriverEvents>(event: E, listener: DriverEvents[E]): this;
  off<E extends keyof DriverEvents>(event: E, listener: DriverEvents[E]): this;
}

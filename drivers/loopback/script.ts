/**
 * What a test tells the loopback driver to answer: per part an outcome (default: submitted under a generated carrier
 * id), and optionally a receipt for every submitted part, delivered through the sink after the send is answered.
 */
import type { CodedError } from '../../common/index.ts';
import type { PartCarrierValue, QueryOutcome, QueryRequest, Receipt, ReceiptState, SendRequest } from '../transport/index.ts';

export type PartAnswer =
  | { readonly status: 'submitted'; readonly carrierMessageId?: string }
  | { readonly status: 'failed'; readonly error: CodedError; readonly raw?: PartCarrierValue }
  | { readonly status: 'unknown'; readonly error: CodedError; readonly raw?: PartCarrierValue };

/** A receipt the driver sends for a part; `final` defaults to the state's own finality, `raw.stat` to its SMPP stat. */
export interface ReceiptScript {
  readonly state: ReceiptState;
  readonly final?: boolean;
  readonly raw?: Receipt['raw'];
  readonly doneAt?: Date;
}

export interface SendScript {
  /** The answer for each part sent; default submitted with a generated carrier id. */
  readonly answer?: PartAnswer | ((seq: number, request: SendRequest) => PartAnswer);
  /** A receipt for every submitted part, through the sink once the send is answered. Default: none. */
  readonly receipt?: ReceiptState | ReceiptScript;
  /** Runs before the answer is returned: a receipt that overtakes its submit, a carrier that answers late. */
  readonly before?: (request: SendRequest) => Promise<void> | void;
}

export type QueryScript = QueryOutcome | ((request: QueryRequest) => QueryOutcome);

export const submitted = (carrierMessageId?: string): PartAnswer => ({ status: 'submitted', ...(carrierMessageId === undefined ? {} : { carrierMessageId }) });

export const failed = (error: CodedError, raw?: PartCarrierValue): PartAnswer => ({ status: 'failed', error, ...(raw === undefined ? {} : { raw }) });

export const unknown = (error: CodedError, raw?: PartCarrierValue): PartAnswer => ({ status: 'unknown', error, ...(raw === undefined ? {} : { raw }) });

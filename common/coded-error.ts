/**
 * Errors as data: every layer keeps one table of codes (prefix CODEC_, SMPP_, MODEM_, ROUTE_, GW_, API_),
 * each row with a message and whether a retry can help. Callers match on `code`, never on class identity,
 * because errors cross module and process boundaries (JSON, Kafka records, HTTP bodies).
 */

export interface ErrorSpec {
  readonly message: string;
  readonly retriable: boolean;
}

export type ErrorTable<Code extends string, Spec extends ErrorSpec = ErrorSpec> = { readonly [K in Code]: Spec };

export type ErrorDetails = Readonly<Record<string, unknown>>;

export class CodedError<Code extends string = string> extends Error {
  readonly code: Code;
  readonly retriable: boolean;
  readonly details: ErrorDetails;

  constructor(code: Code, spec: ErrorSpec, detail?: string, details: ErrorDetails = {}, options?: ErrorOptions) {
    super(detail === undefined ? spec.message : `${spec.message}: ${detail}`, options);
    this.name = new.target.name;
    this.code = code;
    this.retriable = spec.retriable;
    this.details = details;
  }

  /**
   * The same error (class, code, message, stack, cause) with `extra` merged into its details: a layer that knows
   * more than the thrower, e.g. which request field held the text the codec refused, names it without rewording.
   */
  withDetails(extra: ErrorDetails): this {
    const copy = Object.create(Object.getPrototypeOf(this) as object, Object.getOwnPropertyDescriptors(this)) as this;
    // Node 24's V8 keeps `stack` behind an accessor that reads the original object's hidden slot, so a copied
    // descriptor reads undefined on the copy: carry the text itself.
    Object.defineProperty(copy, 'stack', { value: this.stack, writable: true, enumerable: false, configurable: true });
    Object.defineProperty(copy, 'details', { value: { ...this.details, ...extra }, enumerable: true });
    return copy;
  }

  toJSON(): { code: Code; message: string; retriable: boolean; details: ErrorDetails } {
    return { code: this.code, message: this.message, retriable: this.retriable, details: this.details };
  }
}

/** What every table's factory takes after the code: the detail text, the details bag and, in one place, a cause. */
export type ErrorFactory<Code extends string, E extends CodedError<Code>> = (
  code: Code,
  detail?: string,
  details?: ErrorDetails,
  options?: ErrorOptions,
) => E;

type CodedErrorClass<Code extends string, E extends CodedError<Code>> = new (
  code: Code,
  spec: ErrorSpec,
  detail?: string,
  details?: ErrorDetails,
  options?: ErrorOptions,
) => E;

/**
 * The one way a layer builds its errors from its table: `factory(code, detail, details, { cause })`. The class stays
 * the layer's own (so stacks and `name` say where the error came from); the cause always travels as `ErrorOptions`.
 */
export function errorFactory<Code extends string, E extends CodedError<Code>>(
  table: ErrorTable<Code>,
  ErrorClass: CodedErrorClass<Code, E>,
): ErrorFactory<Code, E> {
  return (code, detail, details, options) => new ErrorClass(code, table[code], detail, details, options);
}

/** True when `value` is an error carrying a code from any layer's table. */
export function isCodedError(value: unknown): value is CodedError {
  return value instanceof Error && typeof (value as { code?: unknown }).code === 'string' && 'retriable' in value;
}

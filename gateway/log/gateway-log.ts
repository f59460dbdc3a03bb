/**
 * Where the gateway core writes its log lines: pino's shape (fields first, then the message), so the HTTP app's
 * pino logger fits as is and tests capture lines with a pino destination stream. Expected failures (a link
 * down, a refused submit, a failed webhook attempt) are one line each with their code and no stack; numbers
 * are masked and secrets never appear.
 */
export type LogFields = Readonly<Record<string, unknown>>;

export interface GatewayLog {
  info(fields: LogFields, message: string): void;
  warn(fields: LogFields, message: string): void;
  error(fields: LogFields, message: string): void;
}

/** The default when no logger is given: writes nothing. */
export const SILENT_LOG: GatewayLog = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

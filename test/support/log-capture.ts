/**
 * Captures pino log lines as objects: a pino logger (fastify's, the one the HTTP app and the gateway use) whose
 * destination stream is an array. `options` go to buildApp as its `logger`; `log` serves a Gateway built alone.
 */
import Fastify, { type FastifyBaseLogger } from 'fastify';

export interface LogLine {
  readonly level: number;
  readonly msg: string;
  readonly [field: string]: unknown;
}

export const WARN = 40;
export const ERROR = 50;

export interface LogCapture {
  /** Logger options for buildApp (level info, writing here). */
  readonly options: { readonly level: string; readonly stream: { write(line: string): void } };
  /** A pino logger writing here, for a Gateway built without the app. */
  readonly log: FastifyBaseLogger;
  /** Every line written so far. */
  lines(): LogLine[];
  /** The lines with this message. */
  withMsg(msg: string): LogLine[];
}

export function captureLog(): LogCapture {
  const written: string[] = [];
  const options = { level: 'info', stream: { write: (line: string) => void written.push(line) } };
  const lines = (): LogLine[] => written.map((line) => JSON.parse(line) as LogLine);
  return {
    options,
    log: Fastify({ logger: options }).log,
    lines,
    withMsg: (msg) => lines().filter((line) => line.msg === msg),
  };
}

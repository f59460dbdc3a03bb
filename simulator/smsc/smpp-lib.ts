/**
 * Typed access to the `smpp` package (0.5.x), which ships no type declarations. Loaded through createRequire so the
 * types stay local to this module instead of an ambient `declare module` that other folders could collide with.
 * Only the surface the simulator, its tests and its benchmark use is typed.
 */
import { createRequire } from 'node:module';
import type { EventEmitter } from 'node:events';
import type { Server, Socket } from 'node:net';

export interface SmppPdu {
  command: string;
  command_id: number;
  command_status: number;
  sequence_number: number;
  command_length: number;
  readonly [field: string]: unknown;
  isResponse(): boolean;
  response(options?: Record<string, unknown>): SmppPdu;
  toBuffer(): Buffer;
}

export interface SmppSession extends EventEmitter {
  readonly socket: Socket;
  send(pdu: SmppPdu, responseCallback?: (response: SmppPdu) => void, sendCallback?: (pdu: SmppPdu) => void): boolean;
  close(callback?: () => void): void;
  destroy(callback?: () => void): void;
  pause(): void;
  resume(): void;
}

export interface SmppServer extends Server {
  readonly sessions: SmppSession[];
}

export interface SmppConnectOptions {
  readonly host: string;
  readonly port: number;
}

export interface SmppModule {
  createServer(options: Record<string, unknown>, listener: (session: SmppSession) => void): SmppServer;
  connect(options: SmppConnectOptions, listener?: () => void): SmppSession;
  /** A PDU to send (command name and fields), or one parsed from its complete octets. */
  readonly PDU: new (command: string | Buffer, options?: Record<string, unknown>) => SmppPdu;
  readonly errors: Readonly<Record<string, number>>;
}

const load = createRequire(import.meta.url);

export const smpp = load('smpp') as SmppModule;

/** Builds a PDU; message octets must already be a Buffer so the package leaves data_coding and esm_class alone. */
export function makePdu(command: string, fields: Record<string, unknown> = {}): SmppPdu {
  return new smpp.PDU(command, fields);
}

/**
 * Typed access to the socket side of the `smpp` package (0.5.x, untyped CommonJS): its server, which accepts
 * connections and reads binds for the simulator, and its client session, which the simulator's tests and benchmark
 * use as an independent ESME. PDUs themselves are the protocol module's (`SmppPdu`). Loaded through createRequire
 * so the types stay local to this module.
 */
import { createRequire } from 'node:module';
import type { EventEmitter } from 'node:events';
import type { Server, Socket } from 'node:net';
import type { SmppPdu } from '../../drivers/smpp-protocol/index.ts';

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
}

export const smpp = createRequire(import.meta.url)('smpp') as SmppModule;

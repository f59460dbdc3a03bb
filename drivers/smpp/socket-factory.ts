/**
 * The connection a bind runs over, as a dependency: the default opens TCP or TLS with node's net / tls; a test hands
 * in an in-memory socket. The bind needs only this much of a socket.
 */
import net from 'node:net';
import tls from 'node:tls';
import type { TlsConfig } from './config.ts';

export interface SmppSocket {
  readonly destroyed: boolean;
  write(data: Buffer): boolean;
  end(): void;
  destroy(): void;
  pause(): void;
  resume(): void;
  on(event: 'data', listener: (chunk: Buffer) => void): this;
  on(event: 'error', listener: (error: Error) => void): this;
  on(event: 'close', listener: () => void): this;
  once(event: 'close', listener: () => void): this;
}

export interface SmppEndpoint {
  readonly host: string;
  readonly port: number;
  readonly tls: TlsConfig | false;
}

/** Opens a connection to `endpoint`; `connected` runs once it can carry PDUs (after the TLS handshake with TLS). */
export type SocketFactory = (endpoint: SmppEndpoint, connected: () => void) => SmppSocket;

export const connectSocket: SocketFactory = (endpoint, connected) => {
  const { host, port } = endpoint;
  const options = endpoint.tls;
  const socket =
    options === false
      ? net.connect({ host, port })
      : tls.connect({
          host,
          port,
          rejectUnauthorized: options.rejectUnauthorized,
          ...(options.servername === undefined ? {} : { servername: options.servername }),
          ...(options.ca === undefined ? {} : { ca: options.ca }),
        });
  // A delayed ACK from the peer must never pace the window: write at once, in batches per turn.
  socket.setNoDelay(true);
  socket.setKeepAlive(true, 30_000);
  socket.once(options === false ? 'connect' : 'secureConnect', connected);
  return socket;
};

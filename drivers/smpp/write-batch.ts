import type { SmppSocket } from './socket-factory.ts';

/**
 * Every PDU of one event-loop turn goes out in one socket write (one segment where it fits), so answers to a whole
 * chunk of receipts and the submits they free leave together, and with TCP_NODELAY nothing waits for the peer's
 * delayed ACK. The turn is the event loop's (setImmediate), not a clock's: it adds no delay.
 */
export class WriteBatch {
  socket: SmppSocket | undefined;
  private chunks: Buffer[] = [];
  private bytes = 0;

  write(buffer: Buffer): void {
    const socket = this.socket;
    if (socket === undefined || socket.destroyed) return;
    if (this.chunks.length === 0) setImmediate(this.flush);
    this.chunks.push(buffer);
    this.bytes += buffer.length;
  }

  clear(): void {
    this.chunks = [];
    this.bytes = 0;
  }

  readonly flush = (): void => {
    const chunks = this.chunks;
    if (chunks.length === 0) return;
    const bytes = this.bytes;
    this.clear();
    const socket = this.socket;
    if (socket === undefined || socket.destroyed) return;
    socket.write(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, bytes));
  };
}

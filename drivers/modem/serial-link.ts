/**
 * The byte pipe under the command layer. The driver only sees this interface, so tests drive it with a fake
 * duplex and production with a real serial port (`openSerialPort`).
 */
export interface SerialLink {
  /** Resolves once the bytes are handed to the operating system. */
  write(data: Uint8Array | string): Promise<void>;
  onData(listener: (chunk: Uint8Array) => void): void;
  /** Called once, when the port closes or fails (unplug, read error); `reason` says which. */
  onClose(listener: (reason: string) => void): void;
  close(): Promise<void>;
}

/** Opens a port by path; injected so tests and the pool can substitute it. */
export type SerialOpener = (path: string) => Promise<SerialLink>;

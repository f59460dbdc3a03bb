import { SerialPort } from 'serialport';
import { modemError } from './errors.ts';
import type { SerialLink } from './serial-link.ts';

/** A `SerialLink` over the `serialport` package. The port is locked so two probes never share a device. */
export async function openSerialPort(path: string, baudRate = 115200): Promise<SerialLink> {
  const port = new SerialPort({ path, baudRate, autoOpen: false, lock: true });
  await new Promise<void>((resolve, reject) => {
    port.open((error) => {
      if (error) reject(modemError('MODEM_PORT_OPEN_FAILED', `${path}: ${error.message}`, { path }, { cause: error }));
      else resolve();
    });
  });
  const closeListeners: ((reason: string) => void)[] = [];
  let closed = false;
  let lastError = '';
  const fireClose = (reason: string): void => {
    if (closed) return;
    closed = true;
    for (const listener of closeListeners) listener(reason);
  };
  port.on('error', (error: Error) => {
    lastError = error.message;
    // A failed read or write leaves the port unusable even when serialport keeps it nominally open.
    fireClose(`port error: ${error.message}`);
    if (port.isOpen) port.close(() => undefined);
  });
  port.on('close', (error: Error | null) => {
    fireClose(error ? `port closed: ${error.message}` : lastError === '' ? 'port closed' : `port closed: ${lastError}`);
  });
  return {
    write: (data) =>
      new Promise<void>((resolve, reject) => {
        if (closed) {
          reject(modemError('MODEM_PORT_CLOSED', path, { path }));
          return;
        }
        port.write(typeof data === 'string' ? Buffer.from(data, 'latin1') : Buffer.from(data), (error) => {
          if (error) reject(modemError('MODEM_PORT_CLOSED', `${path}: ${error.message}`, { path }, { cause: error }));
          else port.drain(() => resolve());
        });
      }),
    onData: (listener) => {
      port.on('data', (chunk: Buffer) => listener(chunk));
    },
    onClose: (listener) => {
      closeListeners.push(listener);
    },
    close: () =>
      new Promise<void>((resolve) => {
        if (!port.isOpen) {
          fireClose('closed by driver');
          resolve();
          return;
        }
        port.close(() => {
          fireClose('closed by driver');
          resolve();
        });
      }),
  };
}

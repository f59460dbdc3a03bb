import { SerialPort } from 'serialport';

/** A final result code, or the `> ` prompt, anywhere in what arrived (noise may follow it in the same chunk). */
const FINAL = /\r\n(?:OK|ERROR|\+CM[ES] ERROR: [^\r]*)\r\n/;
const FINAL_OR_PROMPT = /\r\n(?:OK|ERROR|\+CM[ES] ERROR: [^\r]*)\r\n|\r\n> /;

/** The text up to and including the first match of `pattern`. */
function upTo(text: string, pattern: RegExp): string {
  const match = pattern.exec(text);
  return match === null ? text : text.slice(0, match.index + match[0].length);
}

/** A raw AT client over a real serial port: writes lines, waits for final result codes, prompts and URCs. */
export class AtClient {
  readonly #port: SerialPort;
  received = '';
  #waiters = new Set<() => void>();
  closed = false;

  private constructor(port: SerialPort) {
    this.#port = port;
    port.on('data', (chunk: Buffer) => {
      this.received += chunk.toString('latin1');
      for (const wake of this.#waiters) wake();
    });
    port.on('close', () => {
      this.closed = true;
      for (const wake of this.#waiters) wake();
    });
    // A hang-up on unplug surfaces as an error on some reads; the close event tells the test.
    port.on('error', () => undefined);
  }

  static async open(path: string): Promise<AtClient> {
    const port = new SerialPort({ path, baudRate: 115200, autoOpen: false });
    await new Promise<void>((resolve, reject) => port.open((error) => (error ? reject(error) : resolve())));
    return new AtClient(port);
  }

  write(data: string): void {
    this.#port.write(Buffer.from(data, 'latin1'));
  }

  /** Sends a command line; resolves with everything up to its final result code (or the `> ` prompt). */
  async command(line: string, timeoutMs = 5000): Promise<string> {
    const mark = this.received.length;
    this.write(`${line}\r`);
    return upTo(await this.waitFor(FINAL_OR_PROMPT, mark, timeoutMs), FINAL_OR_PROMPT);
  }

  /** Sends the PDU or text after a prompt and waits for the final result. */
  async submit(data: string, timeoutMs = 5000): Promise<string> {
    const mark = this.received.length;
    this.write(`${data}\x1a`);
    return upTo(await this.waitFor(FINAL, mark, timeoutMs), FINAL);
  }

  /** Waits until what arrived since `mark` satisfies `done` (a RegExp or predicate); resolves with that text. */
  waitFor(done: RegExp | ((text: string) => boolean), mark = this.received.length, timeoutMs = 5000): Promise<string> {
    const check = typeof done === 'function' ? done : (text: string): boolean => done.test(text);
    return new Promise((resolve, reject) => {
      const wake = (): void => {
        const text = this.received.slice(mark);
        if (check(text)) {
          finish();
          resolve(text);
        } else if (this.closed) {
          finish();
          reject(new Error(`port closed; received ${JSON.stringify(text)}`));
        }
      };
      const timer = setTimeout(() => {
        finish();
        reject(new Error(`timed out; received ${JSON.stringify(this.received.slice(mark))}`));
      }, timeoutMs);
      const finish = (): void => {
        clearTimeout(timer);
        this.#waiters.delete(wake);
      };
      this.#waiters.add(wake);
      wake();
    });
  }

  async close(): Promise<void> {
    if (this.closed || !this.#port.isOpen) return;
    await new Promise<void>((resolve) => this.#port.close(() => resolve()));
  }
}

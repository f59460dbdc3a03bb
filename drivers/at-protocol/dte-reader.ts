/**
 * The modem's side of the serial line (ITU-T V.250 clause 5.1-5.2, TS 27.005 clause 3.5.1 / 4.3):
 * in command state it collects characters up to <CR> (S3) and keeps only lines that start with `AT`;
 * after a `> ` prompt it collects the message body up to <ctrl-Z> (send) or <ESC> (cancel).
 * Pure: characters in, echo and events out. The engine decides whether to echo (ATE) and what a line means.
 */

export type DteEvent =
  | { readonly kind: 'command-line'; readonly body: string }
  | { readonly kind: 'input-complete'; readonly data: string }
  | { readonly kind: 'input-cancelled' }
  | { readonly kind: 'input-line-break' };

export interface DteStep {
  /** What the modem echoes for this character when echo is on. */
  readonly echo: string;
  readonly event?: DteEvent;
}

const CR = '\r';
const LF = '\n';
const BACKSPACE = '\b';
const CTRL_Z = '\x1a';
const ESC = '\x1b';
/** A command line longer than this is discarded (real modems keep a buffer of a few hundred characters). */
const MAX_LINE = 4096;

export class DteReader {
  #mode: 'command' | 'input' = 'command';
  #buffer = '';
  #textMode = false;

  get mode(): 'command' | 'input' {
    return this.#mode;
  }

  /** Switches to message entry after a prompt; text mode turns <CR> into a line break of the message. */
  startInput(textMode: boolean): void {
    this.#mode = 'input';
    this.#buffer = '';
    this.#textMode = textMode;
  }

  /** Back to command state, dropping anything half typed (power cycle). */
  reset(): void {
    this.#mode = 'command';
    this.#buffer = '';
  }

  feed(ch: string): DteStep {
    return this.#mode === 'command' ? this.#command(ch) : this.#input(ch);
  }

  #command(ch: string): DteStep {
    if (ch === CR) {
      const line = this.#buffer;
      this.#buffer = '';
      const start = line.search(/AT/i);
      if (start < 0) return { echo: ch };
      return { echo: ch, event: { kind: 'command-line', body: line.slice(start + 2) } };
    }
    if (ch === LF) return { echo: ch };
    if (ch === BACKSPACE) {
      this.#buffer = this.#buffer.slice(0, -1);
      return { echo: ch };
    }
    this.#buffer = this.#buffer.length >= MAX_LINE ? '' : this.#buffer + ch;
    return { echo: ch };
  }

  #input(ch: string): DteStep {
    if (ch === CTRL_Z) {
      const data = this.#buffer;
      this.reset();
      return { echo: '', event: { kind: 'input-complete', data } };
    }
    if (ch === ESC) {
      this.reset();
      return { echo: '', event: { kind: 'input-cancelled' } };
    }
    if (ch === CR) {
      if (!this.#textMode) return { echo: '' };
      this.#buffer += LF;
      return { echo: '', event: { kind: 'input-line-break' } };
    }
    if (ch === LF) return { echo: '' };
    if (ch === BACKSPACE) {
      this.#buffer = this.#buffer.slice(0, -1);
      return { echo: ch };
    }
    if (this.#buffer.length < MAX_LINE * 4) this.#buffer += ch;
    return { echo: ch };
  }
}

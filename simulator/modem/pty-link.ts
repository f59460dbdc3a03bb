/**
 * The device node: socat makes a pseudo-terminal in raw mode with a symbolic link at the requested path and
 * copies bytes between it and its own stdin/stdout, which the simulator reads and writes. Killing socat makes
 * the path vanish and hangs up any program that had it open, as pulling a USB modem does; starting it again
 * brings the path back (pointing at a fresh /dev/pts node).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { lstat, readlink, stat, unlink } from 'node:fs/promises';
import { modemSimError } from './errors.ts';

export interface PtyLinkEvents {
  readonly onData: (data: string) => void;
  /** socat ended without being asked to (killed from outside, crashed). */
  readonly onUnexpectedExit: (code: number | null, signal: NodeJS.Signals | null) => void;
}

const APPEAR_TIMEOUT_MS = 5000;
const POLL_MS = 10;

export class PtyLink {
  readonly path: string;
  readonly #events: PtyLinkEvents;
  #child: ChildProcess | undefined;
  #stopping = false;

  constructor(path: string, events: PtyLinkEvents) {
    this.path = path;
    this.#events = events;
  }

  get up(): boolean {
    return this.#child !== undefined;
  }

  /** The socat process id while the link is up (for tests that check clean-up). */
  get pid(): number | undefined {
    return this.#child?.pid;
  }

  async start(): Promise<void> {
    if (this.#child !== undefined) return;
    await this.#clearStaleLink(false);
    // rawer: no line discipline on the pty (no echo, no CR/LF translation): the modem does its own echo.
    const child = spawn('socat', ['-d', 'STDIO', `PTY,rawer,link=${this.path}`], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.#child = child;
    this.#stopping = false;
    let stderr = '';
    child.stderr?.setEncoding('latin1');
    child.stderr?.on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-2000);
    });
    child.stdout?.setEncoding('latin1');
    child.stdout?.on('data', (chunk: string) => this.#events.onData(chunk));
    // A write racing an unplug fails with EPIPE: the bytes are lost, as on a pulled device.
    child.stdin?.on('error', () => undefined);
    const spawnError = new Promise<Error>((resolve) => child.once('error', resolve));
    child.once('exit', (code, signal) => {
      if (this.#child === child) this.#child = undefined;
      if (!this.#stopping) this.#events.onUnexpectedExit(code, signal);
    });
    const appeared = await Promise.race([this.#waitForLink(child), spawnError]);
    if (appeared instanceof Error) {
      this.#child = undefined;
      const missing = (appeared as NodeJS.ErrnoException).code === 'ENOENT';
      throw missing ? modemSimError('MODEMSIM_SOCAT_MISSING') : modemSimError('MODEMSIM_LINK_FAILED', appeared.message, { path: this.path });
    }
    if (!appeared) {
      await this.stop();
      throw modemSimError('MODEMSIM_LINK_FAILED', `${this.path} did not appear: ${stderr.trim().split('\n').pop() ?? ''}`, { path: this.path });
    }
  }

  write(data: string): void {
    this.#child?.stdin?.write(data, 'latin1');
  }

  /** Ends socat (it removes its link) and makes sure the path is gone. */
  async stop(): Promise<void> {
    const child = this.#child;
    if (child === undefined) return;
    this.#stopping = true;
    const exited = new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) resolve();
      else child.once('exit', () => resolve());
    });
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 2000);
    await exited;
    clearTimeout(timer);
    this.#child = undefined;
    await this.#clearStaleLink(true);
  }

  async #waitForLink(child: ChildProcess): Promise<boolean> {
    const deadline = Date.now() + APPEAR_TIMEOUT_MS;
    while (Date.now() < deadline) {
      if (child.exitCode !== null || child.signalCode !== null) return false;
      try {
        await lstat(this.path);
        return true;
      } catch {
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      }
    }
    return false;
  }

  /**
   * Removes a link left by a socat that died hard. Never touches anything but a link into /dev/pts, and before
   * starting (`own` false) only a dangling one: a live target may be another modem's.
   */
  async #clearStaleLink(own: boolean): Promise<void> {
    let target: string;
    try {
      const info = await lstat(this.path);
      if (!info.isSymbolicLink()) throw modemSimError('MODEMSIM_LINK_BUSY', this.path, { path: this.path });
      target = await readlink(this.path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    if (!target.startsWith('/dev/pts/')) throw modemSimError('MODEMSIM_LINK_BUSY', `${this.path} points at ${target}`, { path: this.path, target });
    if (!own && (await exists(target))) throw modemSimError('MODEMSIM_LINK_BUSY', `${this.path} is in use (${target})`, { path: this.path, target });
    await unlink(this.path).catch(() => undefined);
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

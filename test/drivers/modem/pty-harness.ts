/**
 * Shared set-up for the driver-against-simulator tests: virtual modems on real ptys in a fresh temp folder,
 * a pool over them with short timeouts, a sink that records what it is handed, and a cleanup that closes
 * every pool, simulator (and its socat) and removes the folder, also when a test failed.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ModemPool } from '../../../drivers/modem/index.ts';
import type { DriverSink, InboundMessage, Receipt } from '../../../drivers/transport/index.ts';
import { startVirtualModem, type VirtualModemHandle, type VirtualModemOptions } from '../../../simulator/index.ts';

export class PtyHarness {
  dir = '';
  private readonly sims: VirtualModemHandle[] = [];
  private readonly pools: ModemPool[] = [];
  readonly receipts: Receipt[] = [];
  readonly messages: InboundMessage[] = [];
  /** Set to make the sink refuse inbound messages (the driver must then keep them stored). */
  refuseInbound = false;

  async setUp(): Promise<void> {
    this.receipts.length = 0;
    this.messages.length = 0;
    this.refuseInbound = false;
    this.dir = await mkdtemp(join(tmpdir(), 'smsgw-modem-'));
  }

  path(name: string): string {
    return join(this.dir, name);
  }

  async modem(name: string, options: Omit<VirtualModemOptions, 'path'> = {}): Promise<VirtualModemHandle> {
    const sim = await startVirtualModem({ path: this.path(name), ...options });
    this.sims.push(sim);
    return sim;
  }

  readonly sink: DriverSink = {
    receipt: (receipt) => {
      this.receipts.push(receipt);
      return Promise.resolve();
    },
    inbound: (message) => {
      if (this.refuseInbound) return Promise.reject(new Error('store unavailable'));
      this.messages.push(message);
      return Promise.resolve();
    },
  };

  /** A started pool; `config` fields override short test defaults. */
  async pool(config: Record<string, unknown>): Promise<ModemPool> {
    const pool = new ModemPool({
      id: 'test-modems',
      scan: [join(this.dir, '*')],
      pollMs: 0,
      registrationWaitMs: 500,
      ratePerMinute: 600,
      reconnect: { initialMs: 50, maxMs: 300 },
      timeouts: { default: 3000, '+CMGS': 5000 },
      promptTimeoutMs: 3000,
      ...config,
    });
    this.pools.push(pool);
    await pool.start(this.sink);
    return pool;
  }

  async tearDown(): Promise<void> {
    await Promise.allSettled(this.pools.splice(0).map((p) => p.close()));
    await Promise.allSettled(this.sims.splice(0).map((s) => s.close()));
    if (this.dir !== '') await rm(this.dir, { recursive: true, force: true });
  }
}

/** Polls `check` until it returns a value other than undefined / false, or fails after `timeoutMs`. */

export function linkDetail(pool: ModemPool, index = 0): Readonly<Record<string, string | number | boolean | null>> {
  const link = pool.health().links[index];
  if (link === undefined) throw new Error(`no link ${index}`);
  return link.detail;
}

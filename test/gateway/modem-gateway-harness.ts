/**
 * The whole gateway in front of one virtual modem on a real pty (socat), for gateway tests about modems: a temp
 * folder for the tty link, the modem, a pool that finds it by IMEI, and a memory-backed gateway routing every
 * message to that pool.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ModemPool } from '../../drivers/modem/index.ts';
import { createMemoryBackend, Gateway, hashApiKey, readBuiltinRanges } from '../../gateway/index.ts';
import type { AccountConfig } from '../../gateway/accounts/account-registry.ts';
import { buildRoutingTable, RouterHandle } from '../../router/index.ts';
import { startVirtualModem, type VirtualModemHandle, type VirtualModemOptions } from '../../simulator/index.ts';
import { waitFor } from '../support/wait-for.ts';

export const IMEI = '356938035643809';
export const CONNECTOR = 'modems';
const ROUTING = { routes: { jp: { strategy: 'failover', connectors: [{ id: CONNECTOR }] } }, rules: [{ name: 'default', route: 'jp' }] };

export interface ModemGateway {
  readonly gw: Gateway;
  readonly modem: VirtualModemHandle;
  readonly modems: ModemPool;
}

export class ModemGatewayHarness {
  #dir = '';
  #sim: VirtualModemHandle | undefined;
  #gateway: Gateway | undefined;

  /** Starts the modem, the pool (pool settings override the defaults) and the gateway; resolves once the pool is up. */
  async setUp(options: {
    readonly modem?: Partial<VirtualModemOptions>;
    readonly pool?: Readonly<Record<string, unknown>>;
    readonly retry: { readonly maxAttempts: number; readonly baseDelayMs: number; readonly maxDelayMs: number };
    /** Fields of the `demo` account beyond the defaults (its numbers, keyword settings). */
    readonly account?: Partial<AccountConfig>;
  }): Promise<ModemGateway> {
    this.#dir = await mkdtemp(join(tmpdir(), 'smsgw-modem-gw-'));
    const modem = await startVirtualModem({ path: join(this.#dir, 'ttyA'), imei: IMEI, ...options.modem });
    this.#sim = modem;
    const modems = new ModemPool({ id: CONNECTOR, modems: [{ imei: IMEI }], scan: [join(this.#dir, '*')], pollMs: 0, registrationWaitMs: 500, ...options.pool });
    const gw = new Gateway({
      backend: createMemoryBackend(),
      router: new RouterHandle(buildRoutingTable(ROUTING, { fileName: 'test', rangeEntries: [...readBuiltinRanges()], connectorIds: new Set([CONNECTOR]) })),
      drivers: [modems],
      accounts: [{ id: 'demo', apiKeyHashes: [hashApiKey('k')], defaultCountry: 'JP', ...options.account }],
      retry: options.retry,
    });
    this.#gateway = gw;
    await gw.start();
    await waitFor(() => (gw.links.isUp(CONNECTOR) ? true : undefined), 'the modem up');
    return { gw, modem, modems };
  }

  async tearDown(): Promise<void> {
    await this.#gateway?.stop();
    await this.#sim?.close();
    if (this.#dir !== '') await rm(this.#dir, { recursive: true, force: true });
    this.#gateway = undefined;
    this.#sim = undefined;
    this.#dir = '';
  }
}

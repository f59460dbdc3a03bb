/**
 * The embedded default: everything a newcomer needs in one process. Two simulated carriers (SMSC simulators on
 * local ports, each reached for its own number ranges), one virtual modem when socat is installed, a demo
 * account with a fresh API key, and routing between them. Nothing here survives a restart.
 */
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hashApiKey, newApiKey } from '../../gateway/index.ts';
import { startSmscSimulator, startVirtualModem, type SmscSimulatorHandle, type VirtualModemHandle } from '../../simulator/index.ts';
import { embeddedRouting, MODEM_POOL } from './embedded-routing.ts';

export interface EmbeddedSetup {
  /** The configuration document, as a file would give it. */
  readonly document: Record<string, unknown>;
  readonly apiKey: string;
  readonly notes: readonly string[];
  /** The simulated carriers by connector id, for tests that look at what a carrier received. */
  readonly carriers: Readonly<Record<EmbeddedCarrier, SmscSimulatorHandle>>;
  close(): Promise<void>;
}

export type EmbeddedCarrier = 'carrier-a' | 'carrier-b';

export interface EmbeddedOptions {
  /** `false` leaves the virtual modem out (tests that need no pty); by default it is there when socat is installed. */
  readonly modem?: false;
}

function socatAvailable(): boolean {
  return spawnSync('socat', ['-V'], { stdio: 'ignore' }).status === 0;
}

export async function startEmbedded(options: EmbeddedOptions = {}): Promise<EmbeddedSetup> {
  const notes: string[] = [];
  const simulators: SmscSimulatorHandle[] = [];
  let modem: VirtualModemHandle | undefined;
  const close = async (): Promise<void> => {
    await modem?.close();
    await Promise.all(simulators.map((s) => s.close()));
  };
  try {
    const account = [{ systemId: 'smsgw', password: 'embedded', maxBinds: 4 }];
    const carrierA = await startSmscSimulator({ name: 'carrier-a', accounts: account, scenario: 'happy' });
    simulators.push(carrierA);
    const carrierB = await startSmscSimulator({ name: 'carrier-b', accounts: account, scenario: 'happy' });
    simulators.push(carrierB);
    notes.push(`simulated carrier A (docomo, Rakuten): SMPP 127.0.0.1:${carrierA.smppPort}, control ${carrierA.controlUrl}`);
    notes.push(`simulated carrier B (au, SoftBank): SMPP 127.0.0.1:${carrierB.smppPort}, control ${carrierB.controlUrl}`);
    const smpp = (id: string, port: number) => ({ id, type: 'smpp', host: '127.0.0.1', port, systemId: 'smsgw', password: 'embedded', binds: 2, windowSize: 100 });
    const connectors: Record<string, unknown>[] = [smpp('carrier-a', carrierA.smppPort), smpp('carrier-b', carrierB.smppPort)];
    if (options.modem !== false && socatAvailable()) {
      const path = join(tmpdir(), `smsgw-modem-${process.pid}`);
      modem = await startVirtualModem({ path, carrier: 'docomo', controlPort: 0 });
      connectors.push({ id: MODEM_POOL, type: 'modem', modems: [{ path, carriers: ['docomo'] }], scan: [], ratePerMinute: 20 });
      notes.push(`virtual modem (docomo SIM, IMEI ${modem.identity.imei}) at ${path}, control port ${modem.controlPort ?? '-'}`);
    } else {
      notes.push(options.modem === false ? 'no virtual modem' : 'no virtual modem: socat is not installed (apt-get install socat)');
    }
    const apiKey = newApiKey('demo_');
    const document = {
      server: { host: process.env.HOST ?? '127.0.0.1', port: Number(process.env.PORT ?? 3000) },
      accounts: [{ id: 'demo', name: 'Demo', apiKeyHashes: [hashApiKey(apiKey)], defaultCountry: 'JP', timeZone: 'Asia/Tokyo', numbers: ['+81300000000', '12345'] }],
      // The demo's customers are in Japan: its usage days and months end at midnight in Tokyo.
      usage: { timeZone: 'Asia/Tokyo' },
      connectors,
      ...embeddedRouting(modem !== undefined),
    };
    return { document, apiKey, notes, carriers: { 'carrier-a': carrierA, 'carrier-b': carrierB }, close };
  } catch (error: unknown) {
    await close();
    throw error;
  }
}

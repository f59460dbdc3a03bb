/**
 * Starting the simulator: one carrier with its control API (`startSmscSimulator`), or several carriers, each on its
 * own SMPP port, behind one control port (`startSmscCluster`, for routing tests).
 */
import type { AddressInfo } from 'node:net';
import type { Behaviour } from './behaviour.ts';
import { buildControlApp } from './control-api.ts';
import { simError } from './errors.ts';
import type { BindInfo } from './esme-connection.ts';
import type { RecordedMessage, RecordFilter } from './message-records.ts';
import { SmscCarrier, type CarrierCounts, type MoResult, type SmscCarrierOptions } from './smsc-carrier.ts';

export interface SmscSimulatorOptions extends SmscCarrierOptions {
  /** Control API port; 0 (default) picks a free one. */
  readonly controlPort?: number;
  /** Control API address; default the SMPP host (127.0.0.1). */
  readonly controlHost?: string;
}

/** One carrier, for tests: its ports and the same operations the control API offers. */
export interface SmscCarrierHandle {
  readonly name: string;
  readonly host: string;
  readonly smppPort: number;
  readonly carrier: SmscCarrier;
  behaviour(): Behaviour;
  useScenario(name: string, patch?: unknown): Behaviour;
  patchBehaviour(patch: unknown): Behaviour;
  messages(filter?: RecordFilter): RecordedMessage[];
  message(id: string): RecordedMessage | undefined;
  counts(): CarrierCounts;
  binds(): BindInfo[];
  injectMo(request: unknown): Promise<MoResult>;
  reset(): void;
  dropConnections(): number;
  /** Sends enquire_link to every bind now. */
  enquireLinkAll(): number;
  /** Sends unbind to every bind (SMSC-initiated). */
  unbindAll(): number;
}

export interface SmscSimulatorHandle extends SmscCarrierHandle {
  readonly controlPort: number;
  /** `http://host:port` of the control API. */
  readonly controlUrl: string;
  close(): Promise<void>;
}

export interface SmscClusterOptions {
  readonly host?: string;
  readonly controlPort?: number;
  readonly controlHost?: string;
}

export interface SmscClusterHandle {
  readonly controlPort: number;
  readonly controlUrl: string;
  readonly carriers: readonly SmscCarrierHandle[];
  /** The handle of a carrier by name (throws SIM_UNKNOWN_CARRIER). */
  carrier(name: string): SmscCarrierHandle;
  reset(): void;
  close(): Promise<void>;
}

function carrierHandle(carrier: SmscCarrier): SmscCarrierHandle {
  return {
    name: carrier.name,
    host: carrier.host,
    smppPort: carrier.port,
    carrier,
    behaviour: () => carrier.behaviour,
    useScenario: (name, patch) => carrier.useScenario(name, patch),
    patchBehaviour: (patch) => carrier.patchBehaviour(patch),
    messages: (filter) => carrier.messages(filter),
    message: (id) => carrier.message(id),
    counts: () => carrier.counts(),
    binds: () => carrier.binds(),
    injectMo: (request) => carrier.injectMo(request),
    reset: () => carrier.reset(),
    dropConnections: () => carrier.dropConnections(),
    enquireLinkAll: () => carrier.enquireLinkAll(),
    unbindAll: () => carrier.unbindAll(),
  };
}

/** Starts one simulated SMSC (SMPP port + control API). */
export async function startSmscSimulator(options: SmscSimulatorOptions = {}): Promise<SmscSimulatorHandle> {
  const cluster = await startSmscCluster([options], {
    ...(options.host === undefined ? {} : { host: options.host }),
    ...(options.controlPort === undefined ? {} : { controlPort: options.controlPort }),
    ...(options.controlHost === undefined ? {} : { controlHost: options.controlHost }),
  });
  const only = cluster.carriers[0] as SmscCarrierHandle;
  return { ...only, controlPort: cluster.controlPort, controlUrl: cluster.controlUrl, close: () => cluster.close() };
}

/** Starts several carriers, each on its own SMPP port, sharing one control API (`/carriers/:name/...`). */
export async function startSmscCluster(carrierOptions: readonly SmscCarrierOptions[], options: SmscClusterOptions = {}): Promise<SmscClusterHandle> {
  if (carrierOptions.length === 0) throw simError('SIM_INVALID_CONFIG', 'carriers must list at least one carrier', { field: 'carriers' });
  const names = new Set<string>();
  carrierOptions.forEach((c, i) => {
    const name = c.name ?? 'smsc';
    if (names.has(name)) throw simError('SIM_INVALID_CONFIG', `carriers[${i}].name ${name} is used twice`, { field: `carriers[${i}].name`, value: name });
    names.add(name);
  });
  const started: SmscCarrier[] = [];
  try {
    for (const [i, c] of carrierOptions.entries()) {
      // Distinct id ranges, so a message id names one carrier's message even in a cluster.
      const firstMessageId = c.firstMessageId ?? 0x3b9aca00 + i * 0x10000000;
      started.push(await SmscCarrier.start({ ...c, host: c.host ?? options.host ?? '127.0.0.1', firstMessageId }));
    }
  } catch (error: unknown) {
    await Promise.all(started.map((c) => c.close()));
    throw error;
  }
  const app = buildControlApp(started);
  const controlHost = options.controlHost ?? options.host ?? '127.0.0.1';
  try {
    await app.listen({ host: controlHost, port: options.controlPort ?? 0 });
  } catch (error: unknown) {
    await Promise.all(started.map((c) => c.close()));
    const port = options.controlPort ?? 0;
    throw simError('SIM_LISTEN_FAILED', `${controlHost}:${port}: ${error instanceof Error ? error.message : String(error)}`, { field: 'controlPort', value: port }, { cause: error });
  }
  const controlPort = (app.server.address() as AddressInfo).port;
  const handles = started.map(carrierHandle);
  let closing: Promise<void> | undefined;
  return {
    controlPort,
    controlUrl: `http://${controlHost}:${controlPort}`,
    carriers: handles,
    carrier(name: string): SmscCarrierHandle {
      const handle = handles.find((h) => h.name === name);
      if (handle === undefined) throw simError('SIM_UNKNOWN_CARRIER', name, { field: 'carrier', value: name });
      return handle;
    },
    reset(): void {
      for (const c of started) c.reset();
    },
    close(): Promise<void> {
      closing ??= (async () => {
        await Promise.all(started.map((c) => c.close()));
        await app.close();
      })();
      return closing;
    },
  };
}

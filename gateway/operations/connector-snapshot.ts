/**
 * What an operator sees of one connector, read from its driver's health report (`Driver.health()`), the links'
 * up/down times (LinkState), the throughput meter, the route queue and the bind slots' holders. Pure: every input
 * is given.
 *
 * The snapshot is deployment-wide but holds nothing of any one account and nothing secret: no host, port,
 * credential, device path or error text (an error text can name hosts), nor the names of the processes holding
 * its bind slots (a name is host and pid); only codes, states, counts and slot numbers. An account's users may
 * therefore all read it (the console's operations page, `GET /v1/connectors`).
 */
import type { DriverHealth, LinkHealth, TransportKind } from '../../drivers/transport/index.ts';
import type { Lane } from '../messages/message-record.ts';
import type { LaneDepth } from '../ports/route-queue.ts';
import type { BindSlots } from './bind-slots.ts';

/** A link (an SMPP bind, a modem): `connecting` while it dials, binds or starts up; `down` otherwise. */
export type LinkStatus = 'up' | 'connecting' | 'down';

/** A connector: `up` with every link up, `degraded` with some, `down` with none. */
export type ConnectorStatus = 'up' | 'degraded' | 'down';

/** The network registration of a modem's SIM (3GPP TS 27.007 +CREG <stat>). */
export type ModemRegistration = 'not_registered' | 'home' | 'searching' | 'denied' | 'unknown' | 'roaming';

/** Signal quality from +CSQ <rssi> (0..31): excellent from 20, good from 15, fair from 10, poor below. */
export type SignalQuality = 'excellent' | 'good' | 'fair' | 'poor';

export interface ModemSnapshot {
  readonly imei: string | null;
  /** The SIM (ICCID). */
  readonly iccid: string | null;
  /** The network the SIM is on (+COPS?). */
  readonly operator: string | null;
  readonly registration: ModemRegistration | null;
  /** +CSQ rssi (0..31), null when unknown (99). */
  readonly rssi: number | null;
  readonly signalDbm: number | null;
  readonly signalQuality: SignalQuality | null;
  readonly model: string | null;
  /** Parts sent today (UTC day) against the SIM's daily cap (null: none). */
  readonly sentToday: number;
  readonly dailyCap: number | null;
  readonly ratePerMinute: number | null;
}

export interface LinkSnapshot {
  /** Bind id (`carrier-a#1`) or modem id (its IMEI). */
  readonly id: string;
  readonly status: LinkStatus;
  /** The driver's own state name (SMPP: idle, connecting, binding, bound, ...; modem: starting, up, down). */
  readonly state: string | null;
  /** Since when the link is up, or down (epoch ms); null when nothing is known yet. */
  readonly since: number | null;
  /** SMPP: submits in flight on the bind, and its window (null for a modem). */
  readonly inFlight: number | null;
  readonly window: number | null;
  /** Failed connect or bind attempts since it was last up. */
  readonly failedAttempts: number | null;
  /** The code of the last error (e.g. SMPP_CONNECT_FAILED), never its text. */
  readonly lastError: string | null;
  readonly modem?: ModemSnapshot;
}

export interface ConnectorSnapshot {
  readonly id: string;
  readonly kind: TransportKind;
  readonly status: ConnectorStatus;
  readonly linksUp: number;
  readonly links: readonly LinkSnapshot[];
  readonly throughput: {
    /** Parts handed to the carrier per second, over the last `windowSeconds`, by this process. */
    readonly perSecond: number;
    readonly windowSeconds: number;
    /** The configured ceiling in parts per second (SMPP `maxTps`; a modem pool: its modems' rate per minute / 60); null: none. */
    readonly limitTps: number | null;
    /** The pace the SMPP driver keeps now (below the ceiling after the carrier throttled); null when it keeps none. */
    readonly paceTps: number | null;
  };
  /** The route queue (every process's backlog for this connector): not yet taken, and taken by a worker, not yet done. */
  readonly queue: { readonly waiting: number; readonly pending: number; readonly lanes: readonly LaneDepth[] };
  /** Submits in flight on the connector's binds against the sum of their windows (null for a modem pool). */
  readonly inFlight: number | null;
  readonly window: number | null;
  /** Its bind slots across the processes sharing the store: which the answering process holds (numbers only). */
  readonly slots: BindSlots;
}

export interface SnapshotInputs {
  readonly health: DriverHealth;
  readonly since: (linkId: string) => number | undefined;
  readonly perSecond: number;
  readonly windowSeconds: number;
  readonly depth: readonly LaneDepth[];
  readonly slots: BindSlots;
}

const CONNECTING_STATES: ReadonlySet<string> = new Set(['connecting', 'binding', 'starting']);
const REGISTRATIONS: readonly ModemRegistration[] = ['not_registered', 'home', 'searching', 'denied', 'unknown', 'roaming'];

export function connectorSnapshot(inputs: SnapshotInputs): ConnectorSnapshot {
  const { health } = inputs;
  const links = health.links.map((link) => linkSnapshot(link, health.kind, inputs.since(link.id)));
  const linksUp = links.filter((link) => link.status === 'up').length;
  const senders = health.kind === 'smpp' ? health.links.filter((link) => link.detail.role !== 'receiver') : [];
  const windows = senders.map((link) => numberOr(link.detail.windowSize, undefined)).filter((size): size is number => size !== undefined);
  const lanes = [...inputs.depth].sort((a, b) => LANE_ORDER[a.lane] - LANE_ORDER[b.lane]);
  return {
    id: health.connectorId,
    kind: health.kind,
    status: linksUp === 0 || !health.up ? 'down' : linksUp === links.length ? 'up' : 'degraded',
    linksUp,
    links,
    throughput: {
      perSecond: round2(inputs.perSecond),
      windowSeconds: inputs.windowSeconds,
      limitTps: limitOf(health),
      paceTps: health.kind === 'smpp' && positive(health.counters.rate) ? round2(health.counters.rate as number) : null,
    },
    queue: {
      waiting: lanes.reduce((sum, lane) => sum + lane.waiting, 0),
      pending: lanes.reduce((sum, lane) => sum + lane.pending, 0),
      lanes,
    },
    inFlight: health.kind === 'smpp' ? senders.reduce((sum, link) => sum + numberOr(link.detail.window, 0), 0) : null,
    window: health.kind === 'smpp' && windows.length > 0 ? windows.reduce((sum, size) => sum + size, 0) : null,
    slots: inputs.slots,
  };
}

const LANE_ORDER: Record<Lane, number> = { high: 0, normal: 1, bulk: 2 };

function linkSnapshot(link: LinkHealth, kind: TransportKind, since: number | undefined): LinkSnapshot {
  const { detail } = link;
  const state = typeof detail.state === 'string' ? detail.state : null;
  const status: LinkStatus = link.up ? 'up' : state !== null && CONNECTING_STATES.has(state) ? 'connecting' : 'down';
  const smpp = kind === 'smpp' && 'window' in detail;
  return {
    id: link.id,
    status,
    state,
    since: since ?? null,
    inFlight: smpp ? numberOr(detail.window, 0) : null,
    window: smpp ? numberOr(detail.windowSize, null) : null,
    failedAttempts: numberOr(detail.failedAttempts ?? detail.consecutiveFailures, null),
    lastError: typeof detail.lastError === 'string' ? detail.lastError : null,
    ...(kind === 'modem' ? { modem: modemSnapshot(detail) } : {}),
  };
}

function modemSnapshot(detail: LinkHealth['detail']): ModemSnapshot {
  const rssi = numberOr(detail.rssi, null);
  const registration = numberOr(detail.registration, null);
  return {
    imei: stringOr(detail.imei),
    iccid: stringOr(detail.iccid),
    operator: stringOr(detail.operator),
    registration: registration === null ? null : (REGISTRATIONS[registration] ?? 'unknown'),
    rssi: rssi === null || rssi === 99 ? null : rssi,
    signalDbm: numberOr(detail.signalDbm, null),
    signalQuality: rssi === null || rssi === 99 ? null : signalQuality(rssi),
    model: stringOr(detail.model),
    sentToday: numberOr(detail.sentToday, 0),
    dailyCap: numberOr(detail.dailyCap, null),
    ratePerMinute: numberOr(detail.ratePerMinute, null),
  };
}

export function signalQuality(rssi: number): SignalQuality {
  if (rssi >= 20) return 'excellent';
  if (rssi >= 15) return 'good';
  if (rssi >= 10) return 'fair';
  return 'poor';
}

function limitOf(health: DriverHealth): number | null {
  if (health.kind === 'smpp') return positive(health.counters.maxTps) ? (health.counters.maxTps as number) : null;
  const perMinute = health.links.map((link) => numberOr(link.detail.ratePerMinute, 0)).reduce((sum, rate) => sum + rate, 0);
  return perMinute > 0 ? round2(perMinute / 60) : null;
}

function positive(value: unknown): boolean {
  return typeof value === 'number' && Number.isFinite(value) && value > 0;
}

function numberOr<T extends number | null | undefined>(value: unknown, fallback: T): number | T {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

function stringOr(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

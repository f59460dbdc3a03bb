import { expect, test } from 'vitest';
import type { DriverHealth } from '../../../drivers/transport/index.ts';
import { allHeldHere, slotsByHolder } from '../../../gateway/operations/bind-slots.ts';
import { connectorSnapshot, signalQuality } from '../../../gateway/operations/connector-snapshot.ts';

const T0 = Date.UTC(2026, 11, 6, 3, 0, 0);

const smppBind = (id: string, state: string, window: number, extra: Record<string, string | number | boolean | null> = {}) => ({
  id,
  up: state === 'bound',
  detail: { role: 'transceiver', state, window, windowSize: 100, pendingInbound: 0, readingPaused: false, failedAttempts: 0, lastError: null, lastErrorMessage: null, ...extra },
});

test('an SMPP connector: binds with their state and since when, TPS ceiling and pace, window in flight, queue by lane, slots', () => {
  const health: DriverHealth = {
    connectorId: 'carrier-a',
    kind: 'smpp',
    up: true,
    links: [
      smppBind('carrier-a#1', 'bound', 7),
      smppBind('carrier-a#2', 'connecting', 0, { failedAttempts: 3, lastError: 'SMPP_CONNECT_FAILED', lastErrorMessage: 'connect ECONNREFUSED 10.0.0.7:2775' }),
    ],
    counters: { submitOk: 10, rate: 40, maxTps: 50, queued: 2 },
  };
  const snapshot = connectorSnapshot({
    health,
    since: (link) => (link === 'carrier-a#1' ? T0 : undefined),
    perSecond: 12.345,
    windowSeconds: 10,
    depth: [
      { lane: 'bulk', waiting: 5, pending: 1 },
      { lane: 'high', waiting: 1, pending: 0 },
      { lane: 'normal', waiting: 0, pending: 2 },
    ],
    slots: slotsByHolder(['gw-1.example.net-41-0c1d2e3f', undefined, 'gw-2.example.net-77-9a8b7c6d', 'gw-1.example.net-41-0c1d2e3f'], 'gw-1.example.net-41-0c1d2e3f'),
  });
  expect(snapshot).toEqual({
    id: 'carrier-a',
    kind: 'smpp',
    status: 'degraded',
    linksUp: 1,
    links: [
      { id: 'carrier-a#1', status: 'up', state: 'bound', since: T0, inFlight: 7, window: 100, failedAttempts: 0, lastError: null },
      { id: 'carrier-a#2', status: 'connecting', state: 'connecting', since: null, inFlight: 0, window: 100, failedAttempts: 3, lastError: 'SMPP_CONNECT_FAILED' },
    ],
    throughput: { perSecond: 12.35, windowSeconds: 10, limitTps: 50, paceTps: 40 },
    queue: {
      waiting: 6,
      pending: 3,
      lanes: [
        { lane: 'high', waiting: 1, pending: 0 },
        { lane: 'normal', waiting: 0, pending: 2 },
        { lane: 'bulk', waiting: 5, pending: 1 },
      ],
    },
    inFlight: 7,
    window: 200,
    slots: { total: 4, heldHere: [0, 3], heldElsewhere: [2], free: [1] },
  });
  // Error texts and process names can name hosts: only codes and slot numbers leave.
  expect(JSON.stringify(snapshot)).not.toContain('10.0.0.7');
  expect(JSON.stringify(snapshot)).not.toContain('example.net');
});

test('an SMPP connector without a ceiling, every bind down; receivers send nothing and count in no window', () => {
  const health: DriverHealth = {
    connectorId: 'carrier-b',
    kind: 'smpp',
    up: false,
    links: [smppBind('carrier-b#tx1', 'idle', 0), { ...smppBind('carrier-b#rx1', 'idle', 0), detail: { ...smppBind('x', 'idle', 0).detail, role: 'receiver', windowSize: 0 } }],
    counters: { rate: 0, maxTps: 0 },
  };
  const snapshot = connectorSnapshot({ health, since: () => T0, perSecond: 0, windowSeconds: 10, depth: [], slots: allHeldHere(2) });
  expect(snapshot).toMatchObject({ status: 'down', linksUp: 0, throughput: { limitTps: null, paceTps: null }, queue: { waiting: 0, pending: 0, lanes: [] }, inFlight: 0, window: 100 });
  expect(snapshot.links.map((link) => [link.id, link.status, link.since])).toEqual([
    ['carrier-b#tx1', 'down', T0],
    ['carrier-b#rx1', 'down', T0],
  ]);
});

test('a modem pool: each modem with IMEI, SIM, operator, registration, signal and daily cap; no device path leaves', () => {
  const health: DriverHealth = {
    connectorId: 'modem-pool',
    kind: 'modem',
    up: true,
    links: [
      {
        id: '356938035643809',
        up: true,
        detail: {
          state: 'up',
          imei: '356938035643809',
          iccid: '8981100000000000001',
          imsi: '440101234567890',
          model: 'MS2131',
          path: '/dev/ttyUSB2',
          usbId: '12d1:1506',
          operator: 'NTT DOCOMO',
          registration: 1,
          rssi: 18,
          signalDbm: -77,
          sentToday: 12,
          dailyCap: 200,
          ratePerMinute: 20,
          consecutiveFailures: 0,
          lastError: null,
        },
      },
      { id: 'modem-2', up: false, detail: { state: 'starting', imei: null, registration: 5, rssi: 99, signalDbm: null, sentToday: 0, dailyCap: null, ratePerMinute: 10, consecutiveFailures: 2, lastError: 'MODEM_PORT_NOT_FOUND' } },
    ],
    counters: { modemsUp: 1, modems: 2 },
  };
  const snapshot = connectorSnapshot({ health, since: () => T0, perSecond: 0.2, windowSeconds: 10, depth: [{ lane: 'normal', waiting: 3, pending: 1 }], slots: allHeldHere(1) });
  expect(snapshot).toMatchObject({
    kind: 'modem',
    status: 'degraded',
    linksUp: 1,
    inFlight: null,
    window: null,
    throughput: { perSecond: 0.2, limitTps: 0.5, paceTps: null },
    // A modem pool is one slot: one process opens every modem of it.
    slots: { total: 1, heldHere: [0], heldElsewhere: [], free: [] },
  });
  expect(snapshot.links[0]).toEqual({
    id: '356938035643809',
    status: 'up',
    state: 'up',
    since: T0,
    inFlight: null,
    window: null,
    failedAttempts: 0,
    lastError: null,
    modem: {
      imei: '356938035643809',
      iccid: '8981100000000000001',
      operator: 'NTT DOCOMO',
      registration: 'home',
      rssi: 18,
      signalDbm: -77,
      signalQuality: 'good',
      model: 'MS2131',
      sentToday: 12,
      dailyCap: 200,
      ratePerMinute: 20,
    },
  });
  expect(snapshot.links[1]).toMatchObject({ status: 'connecting', failedAttempts: 2, lastError: 'MODEM_PORT_NOT_FOUND', modem: { registration: 'roaming', rssi: null, signalQuality: null, dailyCap: null } });
  const text = JSON.stringify(snapshot);
  expect(text).not.toContain('/dev/tty');
  expect(text).not.toContain('12d1');
  expect(text).not.toContain('440101234567890');
});

test('signal quality from +CSQ rssi', () => {
  expect([31, 20, 19, 15, 14, 10, 9, 0].map(signalQuality)).toEqual(['excellent', 'excellent', 'good', 'good', 'fair', 'fair', 'poor', 'poor']);
});

test('bind slots: sorted by holder against this process; memory mode holds every slot', () => {
  expect(slotsByHolder(['b', 'a', undefined, 'b', 'c'], 'b')).toEqual({ total: 5, heldHere: [0, 3], heldElsewhere: [1, 4], free: [2] });
  expect(slotsByHolder([undefined, undefined], 'a')).toEqual({ total: 2, heldHere: [], heldElsewhere: [], free: [0, 1] });
  // Before the process has a name (not started), nothing is its own.
  expect(slotsByHolder(['a'], '')).toEqual({ total: 1, heldHere: [], heldElsewhere: [0], free: [] });
  expect(slotsByHolder([], 'a')).toEqual({ total: 0, heldHere: [], heldElsewhere: [], free: [] });
  expect(allHeldHere(3)).toEqual({ total: 3, heldHere: [0, 1, 2], heldElsewhere: [], free: [] });
});

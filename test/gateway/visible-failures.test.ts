/**
 * Failures leave a trace: links going down and up, failed submits and overtaking receipts, through a scripted
 * driver (the Driver interface, strict: a send it was not told to expect fails the test). Log lines are captured
 * from a pino destination stream; numbers in them are masked and expected failures carry no stack.
 */
import { EventEmitter } from 'node:events';
import { afterEach, expect, test } from 'vitest';
import type { Driver, DriverEvents, DriverHealth, DriverSink, PartOutcome, SendRequest, SendResult } from '../../drivers/transport/index.ts';
import { smppError } from '../../drivers/smpp/index.ts';
import { createMemoryBackend, Gateway, hashApiKey, loadRoutingFile } from '../../gateway/index.ts';
import { RouterHandle } from '../../router/index.ts';
import { captureLog, WARN, type LogCapture } from '../support/log-capture.ts';
import { waitFor } from '../support/wait-for.ts';

const CONNECTOR = 'smpp-aggregator';

/** Answers each send with the next scripted outcome; `beforeAnswer` runs before the answer is returned. */
class ScriptedDriver implements Driver {
  readonly id = CONNECTOR;
  readonly kind = 'smpp' as const;
  sink: DriverSink | undefined;
  private readonly emitter = new EventEmitter();
  private readonly links = new Set<string>();
  private readonly script: { outcome: (seq: number) => PartOutcome; beforeAnswer?: () => Promise<void> }[] = [];

  expectSend(outcome: (seq: number) => PartOutcome, beforeAnswer?: () => Promise<void>): void {
    this.script.push({ outcome, ...(beforeAnswer === undefined ? {} : { beforeAnswer }) });
  }

  start(sink: DriverSink): Promise<void> {
    this.sink = sink;
    return Promise.resolve();
  }

  async send(request: SendRequest): Promise<SendResult> {
    const next = this.script.shift();
    if (next === undefined) throw new Error(`unexpected send of ${request.messageId}`);
    await next.beforeAnswer?.();
    return { connectorId: this.id, parts: request.encoded.parts.map((part) => next.outcome(part.seq)) };
  }

  health(): DriverHealth {
    return { connectorId: this.id, kind: this.kind, up: this.links.size > 0, links: [], counters: {} };
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  up(link: string): void {
    this.links.add(link);
    this.emitter.emit('up', link);
  }

  down(link: string, reason: string): void {
    this.links.delete(link);
    this.emitter.emit('down', link, reason);
  }

  get pending(): number {
    return this.script.length;
  }

  on<E extends keyof DriverEvents>(event: E, listener: DriverEvents[E]): this {
    this.emitter.on(event, listener);
    return this;
  }

  off<E extends keyof DriverEvents>(event: E, listener: DriverEvents[E]): this {
    this.emitter.off(event, listener);
    return this;
  }
}

let gateway: Gateway | undefined;
afterEach(async () => {
  await gateway?.stop();
  gateway = undefined;
});

async function startGateway(driver: ScriptedDriver, capture: LogCapture): Promise<Gateway> {
  gateway = new Gateway({
    backend: createMemoryBackend(),
    router: new RouterHandle(loadRoutingFile(undefined)),
    drivers: [driver],
    accounts: [{ id: 'demo', apiKeyHashes: [hashApiKey('k')], defaultCountry: 'JP' }],
    log: capture.log,
  });
  await gateway.start();
  return gateway;
}

const noStack = (lines: readonly object[]): void => {
  for (const line of lines) expect(JSON.stringify(line)).not.toMatch(/"(err|stack)"/);
};

test('a link coming up, losing its connection and failing to come back each leave one line', async () => {
  const capture = captureLog();
  const driver = new ScriptedDriver();
  await startGateway(driver, capture);
  driver.up('bind-1');
  driver.down('bind-1', 'SMPP_CONNECTION_LOST: socket closed by 10.0.0.7');
  driver.down('bind-1', 'SMPP_CONNECT_FAILED: ECONNREFUSED');
  driver.up('bind-1');
  expect(capture.lines().map((line) => [line.level, line.msg, line.connector, line.link, line.linksUp])).toEqual([
    [30, 'link up', CONNECTOR, 'bind-1', 1],
    [WARN, 'link down', CONNECTOR, 'bind-1', 0],
    [WARN, 'link failed to come up', CONNECTOR, 'bind-1', 0],
    [30, 'link up', CONNECTOR, 'bind-1', 1],
  ]);
  expect(capture.withMsg('link down')[0]?.reason).toBe('SMPP_CONNECTION_LOST: socket closed by 10.0.0.7');
  noStack(capture.lines());
});

test('a failed submit leaves one warn line with its code, the number masked and no stack', async () => {
  const capture = captureLog();
  const driver = new ScriptedDriver();
  const gw = await startGateway(driver, capture);
  driver.up('bind-1');
  driver.expectSend((seq) => ({ seq, status: 'failed', error: smppError('SMPP_SUBMIT_REJECTED', 'ESME_RINVDSTADR for +819012345678') }));
  const accepted = await gw.messages.submit('demo', { to: '090-1234-5678', text: 'hello' });
  const [line] = await waitFor(() => (capture.withMsg('submit failed').length > 0 ? capture.withMsg('submit failed') : undefined), 'the submit failure logged');
  expect(line).toMatchObject({ level: WARN, connector: CONNECTOR, messageId: accepted.id, seq: 1, outcome: 'failed', code: 'SMPP_SUBMIT_REJECTED', retriable: false });
  expect(line?.error).toContain('+819012*****');
  expect(JSON.stringify(capture.lines())).not.toContain('9012345678');
  expect(capture.withMsg('submit failed')).toHaveLength(1);
  noStack(capture.lines());
});

test('a receipt that overtakes its submit is counted once, as matched, with its connector', async () => {
  const capture = captureLog();
  const driver = new ScriptedDriver();
  const gw = await startGateway(driver, capture);
  driver.up('bind-1');
  // A fast SMSC: the receipt reaches the gateway before the submit response is stored.
  driver.expectSend(
    (seq) => ({ seq, status: 'submitted', carrierMessageId: 'c-1', via: 'bind-1' }),
    () => driver.sink!.receipt({ connectorId: CONNECTOR, carrierMessageId: 'c-1', state: 'delivered', final: true, raw: { stat: 'DELIVRD', err: '000' }, receivedAt: new Date() }),
  );
  const accepted = await gw.messages.submit('demo', { to: '090-1234-5678', text: 'hello' });
  await waitFor(async () => ((await gw.messages.get('demo', accepted.id)).status === 'delivered' ? true : undefined), 'the held receipt to match');
  const counted = (await gw.metrics.receipts.get()).values.map((value) => [value.labels, value.value]);
  expect(counted).toEqual([[{ connector: CONNECTOR, state: 'delivered', matched: 'true' }, 1]]);
});

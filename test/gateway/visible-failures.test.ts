/**
 * Failures leave a trace: links going down and up, failed submits and overtaking receipts, through the loopback
 * driver (strict: a send it was not told to expect fails the test). Log lines are captured
 * from a pino destination stream; numbers in them are masked and expected failures carry no stack.
 */
import { afterEach, expect, test } from 'vitest';
import { failed, LoopbackDriver } from '../../drivers/loopback/index.ts';
import { smppError } from '../../drivers/smpp/index.ts';
import { createMemoryBackend, Gateway, hashApiKey, loadRoutingFile } from '../../gateway/index.ts';
import { RouterHandle } from '../../router/index.ts';
import { captureLog, WARN, type LogCapture } from '../support/log-capture.ts';
import { waitFor } from '../support/wait-for.ts';

const CONNECTOR = 'smpp-aggregator';

let gateway: Gateway | undefined;
let driver: LoopbackDriver | undefined;
afterEach(async () => {
  await gateway?.stop();
  gateway = undefined;
  driver?.assertIdle();
  driver = undefined;
});

/** A loopback connector whose link comes up when the test says so. */
function loopback(): LoopbackDriver {
  driver = new LoopbackDriver({ id: CONNECTOR, link: 'bind-1', upOnStart: false });
  return driver;
}

async function startGateway(driver: LoopbackDriver, capture: LogCapture): Promise<Gateway> {
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
  const driver = loopback();
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
  const driver = loopback();
  const gw = await startGateway(driver, capture);
  driver.up('bind-1');
  driver.expectSend({ answer: failed(smppError('SMPP_SUBMIT_REJECTED', 'ESME_RINVDSTADR for +819012345678')) });
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
  const driver = loopback();
  const gw = await startGateway(driver, capture);
  driver.up('bind-1');
  // A fast SMSC: the receipt reaches the gateway before the submit response is stored.
  driver.expectSend({ answer: { status: 'submitted', carrierMessageId: 'c-1' }, before: () => driver.receipt('c-1', 'delivered') });
  const accepted = await gw.messages.submit('demo', { to: '090-1234-5678', text: 'hello' });
  await waitFor(async () => ((await gw.messages.get('demo', accepted.id)).status === 'delivered' ? true : undefined), 'the held receipt to match');
  const counted = (await gw.metrics.receipts.get()).values.map((value) => [value.labels, value.value]);
  expect(counted).toEqual([[{ connector: CONNECTOR, state: 'delivered', matched: 'true' }, 1]]);
});

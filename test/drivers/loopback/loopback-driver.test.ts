/**
 * The loopback driver answers exactly what a test scripted, through the same Driver interface the gateway uses,
 * and turns every other piece of traffic into a violation that `assertIdle()` reports.
 */
import { describe, expect, test } from 'vitest';
import { encodeText } from '../../../drivers/codec/index.ts';
import { failed, LoopbackDriver, unknown } from '../../../drivers/loopback/index.ts';
import { smppError } from '../../../drivers/smpp/index.ts';
import type { DriverSink, InboundMessage, Receipt, SendRequest } from '../../../drivers/transport/index.ts';

const T0 = Date.UTC(2026, 4, 1, 9, 0, 0);

function request(text = 'hello', extra: Partial<SendRequest> = {}): SendRequest {
  return { messageId: 'm-1', to: '+819012345678', from: 'Shop', encoded: encodeText(text), receipt: true, ...extra };
}

/** A sink that records what it is handed; `refuse` makes it reject, as the gateway does when it cannot store. */
function recordingSink(refuse = false): DriverSink & { readonly receipts: Receipt[]; readonly messages: InboundMessage[] } {
  const receipts: Receipt[] = [];
  const messages: InboundMessage[] = [];
  const answer = (): Promise<void> => (refuse ? Promise.reject(new Error('store away')) : Promise.resolve());
  return {
    receipts,
    messages,
    receipt: (receipt) => (receipts.push(receipt), answer()),
    inbound: (message) => (messages.push(message), answer()),
  };
}

async function started(options: ConstructorParameters<typeof LoopbackDriver>[0] = {}, sink: DriverSink = recordingSink()): Promise<LoopbackDriver> {
  const driver = new LoopbackDriver({ id: 'lb', now: () => T0, ...options });
  await driver.start(sink);
  return driver;
}

describe('sends', () => {
  test('each part is submitted under a generated carrier id, over the link that is up', async () => {
    const driver = await started();
    driver.expectSend();
    const text = 'あ'.repeat(100);
    const result = await driver.send(request(text));
    expect(result).toEqual({
      connectorId: 'lb',
      parts: [
        { seq: 1, status: 'submitted', carrierMessageId: 'lb-1', via: 'lb/1' },
        { seq: 2, status: 'submitted', carrierMessageId: 'lb-2', via: 'lb/1' },
      ],
    });
    expect(driver.sent().map((sent) => sent.encoded.text)).toEqual([text]);
    driver.assertIdle();
  });

  test('whenSent resolves once that many sends were taken', async () => {
    const driver = await started();
    driver.answerEverySend();
    const two = driver.whenSent(2);
    await driver.send(request('one'));
    await driver.send(request('two'));
    expect((await two).map((sent) => sent.encoded.text)).toEqual(['one', 'two']);
    expect(await driver.whenSent(1)).toHaveLength(2);
  });

  test('a resend of some parts is answered for those parts only', async () => {
    const driver = await started();
    driver.expectSend();
    const result = await driver.send(request('あ'.repeat(150), { onlyParts: [3] }));
    expect(result.parts.map((part) => part.seq)).toEqual([3]);
  });

  test('scripted outcomes per part: failed with the carrier value, unknown, a chosen carrier id', async () => {
    const driver = await started();
    const rejected = smppError('SMPP_SUBMIT_REJECTED', 'ESME_RINVDSTADR');
    const lost = smppError('SMPP_CONNECTION_LOST');
    driver.expectSend({ answer: (seq) => (seq === 1 ? { status: 'submitted', carrierMessageId: 'abc' } : seq === 2 ? failed(rejected, { commandStatus: 0x0b }) : unknown(lost)) });
    const result = await driver.send(request('x'.repeat(400)));
    expect(result.parts).toEqual([
      { seq: 1, status: 'submitted', carrierMessageId: 'abc', via: 'lb/1' },
      { seq: 2, status: 'failed', error: rejected, raw: { commandStatus: 0x0b } },
      { seq: 3, status: 'unknown', error: lost },
    ]);
  });

  test('scripts are used in order, then the standing answer takes every further send', async () => {
    const driver = await started();
    driver.expectSend({ answer: failed(smppError('SMPP_SUBMIT_TEMPORARY')) }).answerEverySend();
    const first = await driver.send(request());
    const second = await driver.send(request());
    const third = await driver.send(request());
    expect([first, second, third].map((result) => result.parts[0]?.status)).toEqual(['failed', 'submitted', 'submitted']);
    driver.assertIdle();
  });

  test('a send waits for the script\'s `before`, and is pending until then', async () => {
    const driver = await started();
    let release: () => void = () => undefined;
    driver.expectSend({ before: () => new Promise<void>((resolve) => (release = resolve)) });
    const answered = driver.send(request());
    expect(driver.pending()).toEqual({ scriptedSends: 0, scriptedQueries: 0, inFlightSends: 1, inFlightDeliveries: 0 });
    expect(() => driver.assertIdle()).toThrow(/inFlightSends: 1/);
    release();
    await answered;
    driver.assertIdle();
  });
});

describe('strictness', () => {
  test('a send nobody scripted rejects and is reported by assertIdle', async () => {
    const driver = await started();
    await expect(driver.send(request())).rejects.toMatchObject({ code: 'LOOPBACK_UNEXPECTED_SEND' });
    expect(driver.violations().map((error) => error.code)).toEqual(['LOOPBACK_UNEXPECTED_SEND']);
    expect(() => driver.assertIdle()).toThrow(/LOOPBACK_UNEXPECTED_SEND.*m-1/);
    expect(() => driver.assertIdle()).toThrow(expect.objectContaining({ code: 'LOOPBACK_NOT_IDLE' }));
  });

  test.each([
    ['before start', 'LOOPBACK_NOT_STARTED', () => Promise.resolve(new LoopbackDriver())],
    ['while every link is down', 'LOOPBACK_LINK_DOWN', async () => started({ upOnStart: false })],
    [
      'after close',
      'LOOPBACK_CLOSED',
      async () => {
        const driver = await started();
        await driver.close();
        return driver;
      },
    ],
  ])('a send %s is a violation even when scripted', async (_when, code, make) => {
    const driver = await make();
    driver.expectSend();
    await expect(driver.send(request())).rejects.toMatchObject({ code });
    expect(() => driver.assertIdle()).toThrow(new RegExp(`${code}.*scriptedSends: 1`));
  });

  test('a script left unused keeps the driver from being idle', async () => {
    const driver = await started();
    driver.expectSend();
    expect(driver.pending().scriptedSends).toBe(1);
    expect(() => driver.assertIdle()).toThrow(/scriptedSends: 1/);
  });
});

describe('receipts and inbound', () => {
  test('a scripted receipt reaches the sink after the answer, per submitted part, stamped by the clock', async () => {
    const sink = recordingSink();
    const driver = await started({}, sink);
    driver.expectSend({ receipt: 'delivered' });
    const result = await driver.send(request('x'.repeat(200)));
    expect(sink.receipts).toEqual([]);
    await driver.settled();
    expect(sink.receipts).toEqual(
      result.parts.map((part) => ({
        connectorId: 'lb',
        carrierMessageId: part.status === 'submitted' ? part.carrierMessageId : '',
        state: 'delivered',
        final: true,
        raw: { stat: 'DELIVRD', err: '000' },
        receivedAt: new Date(T0),
      })),
    );
    driver.assertIdle();
  });

  test('an intermediate receipt is not final; raw values are the script\'s own', async () => {
    const sink = recordingSink();
    const driver = await started({}, sink);
    driver.expectSend({ receipt: { state: 'accepted', raw: { stat: 'ACCEPTD', err: '001' } } });
    await driver.send(request());
    await driver.settled();
    expect(sink.receipts[0]).toMatchObject({ state: 'accepted', final: false, raw: { stat: 'ACCEPTD', err: '001' } });
  });

  test('a receipt the sink refuses is kept as refused, not as a violation', async () => {
    const driver = await started({}, recordingSink(true));
    driver.expectSend({ receipt: 'delivered' });
    await driver.send(request());
    await driver.settled();
    expect(driver.refusedDeliveries()).toEqual([{ what: 'receipt for lb-1', error: new Error('store away') }]);
    driver.assertIdle();
  });

  test('receipts and inbound messages on demand go through the sink and answer as it does', async () => {
    const sink = recordingSink();
    const driver = await started({}, sink);
    await driver.receipt('c-9', 'undeliverable');
    await driver.inbound({ from: '+819011112222', to: '12345', text: 'STOP' });
    expect(sink.receipts).toMatchObject([{ carrierMessageId: 'c-9', state: 'undeliverable', final: true, raw: { stat: 'UNDELIV' } }]);
    expect(sink.messages).toEqual([{ connectorId: 'lb', from: '+819011112222', to: '12345', text: 'STOP', encoding: 'gsm7', parts: 1, complete: true, receivedAt: new Date(T0) }]);
    const refusing = await started({}, recordingSink(true));
    await expect(refusing.receipt('c-1', 'delivered')).rejects.toThrow('store away');
  });

  test('a receipt after close is a violation', async () => {
    const driver = await started();
    await driver.close();
    expect(() => driver.receipt('c-1', 'delivered')).toThrow(expect.objectContaining({ code: 'LOOPBACK_CLOSED' }));
  });
});

describe('links', () => {
  test('up and down are events and health follows them', async () => {
    const driver = new LoopbackDriver({ id: 'lb', upOnStart: false });
    const seen: string[] = [];
    driver.on('up', (link) => seen.push(`up ${link}`)).on('down', (link, reason) => seen.push(`down ${link} ${reason}`));
    await driver.start(recordingSink());
    expect(driver.health()).toMatchObject({ connectorId: 'lb', kind: 'smpp', up: false, links: [] });
    driver.up();
    driver.up('lb/2');
    driver.down('lb/1', 'bind lost');
    expect(driver.health()).toMatchObject({ up: true, links: [{ id: 'lb/2', up: true }] });
    await driver.close();
    expect(seen).toEqual(['up lb/1', 'up lb/2', 'down lb/1 bind lost', 'down lb/2 loopback: closed']);
    expect(driver.health().up).toBe(false);
  });
});

describe('query', () => {
  test('offered only when asked for; each query must be scripted', async () => {
    expect((await started()).query).toBeUndefined();
    const driver = await started({ query: true });
    driver.expectQuery({ status: 'found', carrierMessageId: 'c-1', state: 'delivered', final: true, raw: { messageState: 2 } });
    await expect(driver.query?.({ carrierMessageId: 'c-1', from: 'Shop' })).resolves.toMatchObject({ status: 'found', state: 'delivered' });
    expect(driver.queries()).toEqual([{ carrierMessageId: 'c-1', from: 'Shop' }]);
    await expect(driver.query?.({ carrierMessageId: 'c-2', from: 'Shop' })).rejects.toMatchObject({ code: 'LOOPBACK_UNEXPECTED_QUERY' });
    expect(() => driver.assertIdle()).toThrow(/LOOPBACK_UNEXPECTED_QUERY/);
  });
});

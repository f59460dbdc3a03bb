/**
 * kafkajs 2.2.4's request queue, as the project's patch (patches/kafkajs+2.2.4.patch, applied by npm's
 * postinstall) leaves it. Unpatched, every answered request re-armed a 1 ms timer that re-armed itself for ever,
 * on every broker connection: an idle gateway in Kafka mode spent 13.2% of a core with it, 9.0% without. These
 * tests drive the queue itself on a fake clock, so they fail if the patch is missing or no longer applies.
 */
import { createRequire } from 'node:module';
import { afterEach, beforeEach, expect, test, vi } from 'vitest';

interface Entry {
  readonly correlationId: number;
  readonly apiName: string;
  readonly apiKey: number;
  readonly apiVersion: number;
  resolve(answer: unknown): void;
  reject(error: Error): void;
}

interface RequestQueue {
  push(request: { entry: Entry; expectResponse: boolean; sendRequest: () => void; requestTimeout?: number }): void;
  fulfillRequest(response: { correlationId: number; payload: Buffer | null; size: number }): void;
  maybeThrottle(throttleMs: number | null): void;
  checkPendingRequests(): void;
  destroy(): void;
}

type RequestQueueClass = new (options: Record<string, unknown>) => RequestQueue;

const RequestQueueImpl = createRequire(import.meta.url)('kafkajs/src/network/requestQueue/index.js') as RequestQueueClass;
const quietLogger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

let queue: RequestQueue;
let sent: number[];
let checks: number;

function request(correlationId: number): { entry: Entry; expectResponse: boolean; sendRequest: () => void } {
  const entry: Entry = { correlationId, apiName: 'Fetch', apiKey: 1, apiVersion: 11, resolve: () => undefined, reject: () => undefined };
  return { entry, expectResponse: true, sendRequest: () => sent.push(correlationId) };
}

beforeEach(() => {
  vi.useFakeTimers();
  sent = [];
  checks = 0;
  queue = new RequestQueueImpl({ maxInFlightRequests: null, requestTimeout: 30_000, enforceRequestTimeout: false, clientId: 'test', broker: 'localhost:9092', logger: quietLogger });
  const check = queue.checkPendingRequests.bind(queue);
  queue.checkPendingRequests = () => {
    checks += 1;
    check();
  };
});

afterEach(() => {
  queue.destroy();
  vi.useRealTimers();
});

test('an answered request leaves no timer behind: a quiet connection checks nothing while it waits', () => {
  queue.push(request(1));
  expect(sent).toEqual([1]);
  queue.fulfillRequest({ correlationId: 1, payload: null, size: 0 });
  const afterAnswer = checks;
  vi.advanceTimersByTime(1_000);
  // Unpatched, this is about a thousand: one check per millisecond, for ever.
  expect(checks - afterAnswer).toBe(0);
  expect(vi.getTimerCount()).toBe(0);
});

test('a throttled connection still holds its requests until the throttle ends, then sends them in order', () => {
  queue.push(request(1));
  queue.fulfillRequest({ correlationId: 1, payload: null, size: 0 });
  queue.maybeThrottle(50);
  queue.push(request(2));
  queue.push(request(3));
  vi.advanceTimersByTime(49);
  expect(sent).toEqual([1]);
  vi.advanceTimersByTime(2);
  expect(sent).toEqual([1, 2, 3]);
  queue.fulfillRequest({ correlationId: 2, payload: null, size: 0 });
  queue.fulfillRequest({ correlationId: 3, payload: null, size: 0 });
  vi.advanceTimersByTime(1_000);
  expect(vi.getTimerCount()).toBe(0);
});

test('a request held by the in-flight limit goes out when the one ahead of it is answered', () => {
  queue.destroy();
  queue = new RequestQueueImpl({ maxInFlightRequests: 1, requestTimeout: 30_000, enforceRequestTimeout: false, clientId: 'test', broker: 'localhost:9092', logger: quietLogger });
  queue.push(request(1));
  queue.push(request(2));
  expect(sent).toEqual([1]);
  queue.fulfillRequest({ correlationId: 1, payload: null, size: 0 });
  expect(sent).toEqual([1, 2]);
  queue.fulfillRequest({ correlationId: 2, payload: null, size: 0 });
  vi.advanceTimersByTime(1_000);
  expect(vi.getTimerCount()).toBe(0);
});

import { expect, test } from 'vitest';
import { isKafkajsNegativeTimeout } from '../../../../gateway/adapters/kafka/kafkajs-timeout-warning.ts';

function warning(name: string, frame: string): Error {
  const error = new Error('-1765000000000 is a negative number.\nTimeout duration was set to 1.');
  error.name = name;
  error.stack = `${name}: ${error.message}\n    at new Timeout (node:internal/timers:195:17)\n    at ${frame}`;
  return error;
}

test("only kafkajs's negative request-queue timeout is recognised; the same warning from anywhere else is kept", () => {
  const kafkajs = 'RequestQueue.scheduleCheckPendingRequests (/app/node_modules/kafkajs/src/network/requestQueue/index.js:317:37)';
  expect(isKafkajsNegativeTimeout(warning('TimeoutNegativeWarning', kafkajs))).toBe(true);
  expect(isKafkajsNegativeTimeout(warning('TimeoutNegativeWarning', 'Dispatch.pump (/app/gateway/dispatch/connector-worker.ts:12:3)'))).toBe(false);
  expect(isKafkajsNegativeTimeout(warning('DeprecationWarning', kafkajs))).toBe(false);
});

/** Shared pieces of the SMPP driver integration tests: a connector on a local port, a recording sink, waiting. */
import { encodeText } from '../../../drivers/codec/index.ts';
import type { SmppConnector } from '../../../drivers/smpp/index.ts';
import type { DriverSink, InboundMessage, Receipt, SendRequest } from '../../../drivers/transport/index.ts';
import { waitFor } from '../../support/wait-for.ts';

export function connectorConfig(port: number, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 'test-carrier',
    host: '127.0.0.1',
    port,
    systemId: 'test',
    password: 'secret',
    reconnect: { initialMs: 50, maxMs: 400, multiplier: 2, jitter: 0.1 },
    connectTimeoutMs: 2000,
    submitTimeoutMs: 5000,
    ...overrides,
  };
}

export interface RecordingSink extends DriverSink {
  readonly receipts: Receipt[];
  readonly messages: InboundMessage[];
}

export function recordingSink(): RecordingSink {
  const receipts: Receipt[] = [];
  const messages: InboundMessage[] = [];
  return {
    receipts,
    messages,
    receipt: (r) => {
      receipts.push(r);
      return Promise.resolve();
    },
    inbound: (m) => {
      messages.push(m);
      return Promise.resolve();
    },
  };
}

let counter = 0;

export function textRequest(text: string, overrides: Partial<SendRequest> = {}): SendRequest {
  counter += 1;
  return {
    messageId: `m${counter}`,
    to: '+447700900123',
    from: 'TestShop',
    encoded: encodeText(text, { concatRef: counter % 256 }),
    receipt: false,
    ...overrides,
  };
}

export async function started(connector: SmppConnector, sink: DriverSink = recordingSink()): Promise<SmppConnector> {
  await connector.start(sink);
  await waitFor(() => connector.health().up, 'bind up');
  return connector;
}

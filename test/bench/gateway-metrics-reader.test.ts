import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import { describe, expect, test } from 'vitest';
import { parseMetrics, serverSocketInode, sumMetrics } from '../../bench/gateway-metrics-reader.ts';

const exposition = (delivered: number, heap: number, buckets: [string, number][]): string =>
  [
    '# TYPE smsgw_message_status_total counter',
    'smsgw_message_status_total{status="submitted"} 999',
    `smsgw_message_status_total{status="delivered"} ${delivered}`,
    `smsgw_nodejs_heap_size_used_bytes ${heap}`,
    'smsgw_event_outbox_size 2',
    ...buckets.map(([le, n]) => `smsgw_submit_to_receipt_seconds_bucket{le="${le}",connector="smsc"} ${n}`),
  ].join('\n');

describe("the gateway's /metrics, over every process", () => {
  test('parses the delivered count, heap, outbox and receipt histogram', () => {
    expect(parseMetrics(exposition(40, 1_048_576, [['0.5', 30], ['+Inf', 40]]))).toEqual({
      delivered: 40,
      heapUsedBytes: 1_048_576,
      outboxSize: 2,
      receiptBuckets: [
        [0.5, 30],
        [Infinity, 40],
      ],
    });
  });

  test("workers' figures add up, histogram buckets bound by bound", () => {
    const a = parseMetrics(exposition(40, 100, [['0.5', 30], ['+Inf', 40]]));
    const b = parseMetrics(exposition(60, 200, [['0.5', 50], ['1', 55], ['+Inf', 60]]));
    expect(sumMetrics([a, b])).toEqual({
      delivered: 100,
      heapUsedBytes: 300,
      outboxSize: 4,
      receiptBuckets: [
        [0.5, 80],
        [1, 55],
        [Infinity, 100],
      ],
    });
  });

  test('the server end of a real connection is found in /proc/net/tcp, and this process holds its inode', async () => {
    const server = createServer();
    const accepted = new Promise<Socket>((resolve) => server.once('connection', resolve));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const serverPort = (server.address() as AddressInfo).port;
    const client = connect(serverPort, '127.0.0.1');
    await new Promise<void>((resolve) => client.once('connect', resolve));
    const serverSide = await accepted;
    try {
      const inode = serverSocketInode(readFileSync('/proc/net/tcp', 'utf8'), serverPort, client.localPort as number);
      expect(inode).toMatch(/^\d+$/);
      const links = readdirSync('/proc/self/fd').flatMap((fd) => {
        try {
          return [readlinkSync(`/proc/self/fd/${fd}`)];
        } catch {
          return [];
        }
      });
      expect(links).toContain(`socket:[${inode}]`);
      // The client's end is another socket: looked up the other way round, it is not this one.
      expect(serverSocketInode(readFileSync('/proc/net/tcp', 'utf8'), client.localPort as number, serverPort)).not.toBe(inode);
    } finally {
      client.destroy();
      serverSide.destroy();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

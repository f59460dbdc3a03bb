/**
 * Ports free on 127.0.0.1 now, for servers whose configuration cannot ask for port 0 (a Kafka broker, a Redis
 * Cluster node, Kannel's boxes). All listeners stay open until every port is known, so no port is handed out twice.
 */
import { createServer, type AddressInfo } from 'node:net';

export async function freePorts(count: number, host = '127.0.0.1'): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: count }, () =>
      new Promise<ReturnType<typeof createServer>>((ok, fail) => {
        const server = createServer();
        server.once('error', fail);
        server.listen(0, host, () => ok(server));
      }),
    ),
  );
  const ports = servers.map((server) => (server.address() as AddressInfo).port);
  await Promise.all(servers.map((server) => new Promise<void>((ok) => server.close(() => ok()))));
  return ports;
}

/**
 * The Docker stack checked without a Docker engine: docker-compose.yml read as compose would read it (defaults of
 * `${VAR:-default}` applied; compose-file.ts), the files it mounts, the README's list of its services, the
 * Prometheus and Grafana provisioning (`promtool check config` where promtool is installed), the dashboard's metric
 * names against the gateway's registry, and the demo configuration through the gateway's own parser.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import { describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { createDriver, GatewayMetrics, hashApiKey, loadRoutingFile, parseGatewayConfig } from '../../gateway/index.ts';
import { checkConfig } from '../../simulator/index.ts';
import { at, dependsOn, loadCompose, mounts, read, serviceOf, type Service } from './compose-file.ts';

const compose = loadCompose(['docker-compose.yml']);
/** Prometheus's own checker (Debian package `prometheus`); its test is skipped where it is not installed. */
const promtool = spawnSync('promtool', ['--version'], { encoding: 'utf8' }).status === 0;
const services = Object.entries(compose.services);
const service = (name: string): Service => serviceOf(compose, name);

function flag(s: Service, name: string): string | undefined {
  const command = s.command ?? [];
  const i = command.indexOf(name);
  return i < 0 ? undefined : command[i + 1];
}

/** The service names listed under "### Services" of the README's production-stack section. */
function readmeServices(): string[] {
  const readme = read('README.md');
  const section = /^## Production stack \(Docker\)\n([\s\S]*?)(?=^## |(?![\s\S]))/m.exec(readme)?.[1];
  if (section === undefined) throw new Error('README has no "Production stack (Docker)" section');
  const list = /^### Services\n([\s\S]*?)(?=^#{2,3} |(?![\s\S]))/m.exec(section)?.[1] ?? '';
  return [...list.matchAll(/^- `([a-z0-9-]+)`/gm)].map((m) => m[1] ?? '');
}

describe('docker-compose.yml', () => {
  test('every service has an image or a build', () => {
    expect(services.length).toBeGreaterThan(0);
    for (const [name, s] of services) expect(s.image ?? s.build, name).toBeDefined();
  });

  test('every depends_on target is a service, and service_healthy targets have a healthcheck', () => {
    for (const [name, s] of services) {
      for (const target of dependsOn(s)) expect(compose.services, `${name} depends on ${target}`).toHaveProperty([target]);
      if (s.depends_on !== undefined && !Array.isArray(s.depends_on)) {
        for (const [target, condition] of Object.entries(s.depends_on as Record<string, { condition?: string }>)) {
          if (condition.condition === 'service_healthy') expect(service(target).healthcheck, `${target} (for ${name})`).toBeDefined();
        }
      }
    }
  });

  test('every named volume is declared, and every bind-mounted file exists in the repository', () => {
    const declared = Object.keys(compose.volumes ?? {});
    for (const [name, s] of services) {
      for (const { source, target, bind } of mounts(s)) {
        expect(isAbsolute(target), `${name}: ${target}`).toBe(true);
        if (bind) expect(existsSync(at(source)), `${name} mounts ${source}`).toBe(true);
        else expect(declared, `${name} uses volume ${source}`).toContain(source);
      }
    }
  });

  test('ports are strings of [address:]host:container', () => {
    const published = services.flatMap(([name, s]) => (s.ports ?? []).map((p) => [name, p] as const));
    expect(published.length).toBeGreaterThan(0);
    for (const [name, port] of published) {
      expect(typeof port, `${name}: ${String(port)}`).toBe('string');
      expect(port, name).toMatch(/^(\d{1,3}(\.\d{1,3}){3}:)?\d{1,5}:\d{1,5}$/);
    }
  });

  test('the gateway runs the config file on the shared image with Redis and Kafka from the environment', () => {
    const gateway = service('gateway');
    expect(gateway.build).toBeDefined();
    expect(gateway.command?.slice(0, 3)).toEqual(['serve', '--config', '/etc/smsgw/gateway.yaml']);
    expect(mounts(gateway)).toContainEqual({ source: './deploy/gateway.yaml', target: '/etc/smsgw/gateway.yaml', bind: true });
    expect(gateway.environment).toMatchObject({ REDIS_URL: 'redis://redis:6379', KAFKA_BROKERS: 'kafka:9092', KAFKA_CLIENT_ID: 'smsgw' });
    expect(JSON.stringify(gateway.healthcheck?.test)).toContain('/healthz');
    expect(dependsOn(gateway)).toEqual(expect.arrayContaining(['redis', 'kafka']));
    expect(service('redis').command).toEqual(expect.arrayContaining(['--appendonly', 'yes']));
  });

  test('Kafka is a single KRaft node that advertises the address the gateway uses', () => {
    const kafka = service('kafka');
    expect(kafka.image).toBe('apache/kafka:3.9.1');
    const env = kafka.environment ?? {};
    expect(env).toMatchObject({
      KAFKA_PROCESS_ROLES: 'broker,controller',
      KAFKA_LISTENERS: 'PLAINTEXT://:9092,CONTROLLER://:9093',
      KAFKA_ADVERTISED_LISTENERS: `PLAINTEXT://${String(service('gateway').environment?.KAFKA_BROKERS)}`,
      KAFKA_CONTROLLER_QUORUM_VOTERS: `${String(env.KAFKA_NODE_ID)}@kafka:9093`,
      KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: 1,
      KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: 1,
    });
    expect(mounts(kafka).map((m) => m.target)).toContain(env.KAFKA_LOG_DIRS);
  });

  test('the README lists exactly the services of the file', () => {
    expect(readmeServices().sort()).toEqual(Object.keys(compose.services).sort());
  });
});

describe('Dockerfile', () => {
  const dockerfile = read('Dockerfile');
  const ignored = read('.dockerignore').split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));

  test('copies folders that exist and are not excluded from the build context', () => {
    const sources = [...dockerfile.matchAll(/^COPY (?!--from)(.+) \S+$/gm)].flatMap((m) => (m[1] ?? '').split(/\s+/));
    expect(sources).toEqual(expect.arrayContaining(['bin', 'cli', 'gateway', 'router', 'drivers', 'package-lock.json']));
    for (const source of sources) {
      expect(existsSync(at(source)), source).toBe(true);
      expect(ignored, source).not.toContain(source);
    }
  });

  test('installs without dev dependencies, which holds because tsx is a runtime dependency', () => {
    expect(dockerfile).toMatch(/npm ci --omit=dev/);
    const pkg = JSON.parse(read('package.json')) as { dependencies: Record<string, string> };
    expect(pkg.dependencies).toHaveProperty('tsx');
    expect(dockerfile).toMatch(/^ENTRYPOINT \["node", "bin\/smsgw\.js"\]$/m);
  });
});

describe('monitoring', () => {
  const prometheus = parse(read('deploy/prometheus/prometheus.yml')) as {
    scrape_configs: { job_name: string; scrape_interval?: string; metrics_path?: string; dns_sd_configs?: { names: string[]; type: string; port: number }[] }[];
  };

  test("Prometheus scrapes every container of the gateway service every 5 s, found by Docker's DNS", () => {
    const job = prometheus.scrape_configs.find((j) => j.job_name === 'smsgw');
    expect(job).toMatchObject({ scrape_interval: '5s', metrics_path: '/metrics' });
    // One A record per replica: one gateway or `--scale gateway=N` (deploy/compose.scale.yml) alike.
    expect(job?.dns_sd_configs).toEqual([expect.objectContaining({ names: ['gateway'], type: 'A', port: Number(service('gateway').environment?.PORT) })]);
    expect(service('gateway').environment?.PORT).toBe('3000');
    expect(mounts(service('prometheus'))).toContainEqual({ source: './deploy/prometheus/prometheus.yml', target: '/etc/prometheus/prometheus.yml', bind: true });
  });

  test.skipIf(!promtool)('promtool accepts the Prometheus configuration', () => {
    const check = spawnSync('promtool', ['check', 'config', at('deploy/prometheus/prometheus.yml')], { encoding: 'utf8' });
    expect(check.status, `${check.stdout}${check.stderr}`).toBe(0);
  });

  const datasources = parse(read('deploy/grafana/provisioning/datasources/prometheus.yml')) as {
    apiVersion: number;
    datasources: { uid: string; type: string; url: string }[];
  };
  const providers = parse(read('deploy/grafana/provisioning/dashboards/smsgw.yml')) as {
    apiVersion: number;
    providers: { type: string; options: { path: string } }[];
  };

  test('Grafana provisions the Prometheus service and the dashboards folder it mounts', () => {
    expect(datasources.apiVersion).toBe(1);
    expect(datasources.datasources).toEqual([expect.objectContaining({ uid: 'prometheus', type: 'prometheus', url: 'http://prometheus:9090' })]);
    expect(providers.apiVersion).toBe(1);
    const grafanaMounts = mounts(service('grafana'));
    expect(grafanaMounts).toContainEqual({ source: './deploy/grafana/provisioning', target: '/etc/grafana/provisioning', bind: true });
    const dashboards = grafanaMounts.find((m) => m.source === './deploy/grafana/dashboards');
    expect(providers.providers.map((p) => p.options.path)).toEqual([dashboards?.target]);
  });

  interface Panel {
    readonly id: number;
    readonly type: string;
    readonly title: string;
    readonly datasource?: { uid: string };
    readonly targets?: { expr: string; datasource?: { uid: string } }[];
  }
  const dashboard = JSON.parse(read('deploy/grafana/dashboards/smsgw.json')) as { uid: string; panels: Panel[] };
  const charts = dashboard.panels.filter((p) => p.type !== 'row');

  test('the dashboard has the expected panels, unique ids and the provisioned data source', () => {
    const titles = charts.map((p) => p.title);
    for (const t of ['Throughput', 'Delivery ratio', 'Accept to submit', 'Submit to receipt', 'Binds up', 'Queue depth', 'Event outbox', 'Modem health']) {
      expect(titles).toContain(t);
    }
    const ids = dashboard.panels.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const p of charts) {
      expect(p.targets?.length, p.title).toBeGreaterThan(0);
      expect(p.datasource?.uid, p.title).toBe('prometheus');
      for (const t of p.targets ?? []) expect(t.datasource?.uid ?? 'prometheus', p.title).toBe('prometheus');
    }
  });

  test('every smsgw_ metric in a panel is registered by the gateway (or listed as expected soon)', async () => {
    const registered = new Set((await new GatewayMetrics().registry.getMetricsAsJSON()).map((m) => m.name));
    const used = new Set(
      charts.flatMap((p) => (p.targets ?? []).flatMap((t) => [...t.expr.matchAll(/\bsmsgw_[a-z0-9_]+/g)].map((m) => m[0].replace(/_(bucket|count|sum)$/, '')))),
    );
    expect(used.size).toBeGreaterThan(5);
    const missing = [...used].filter((name) => !registered.has(name));
    expect(missing).toEqual([]);
  });
});

describe('demo configuration', () => {
  const path = at('deploy/gateway.yaml');
  const document = parse(read('deploy/gateway.yaml')) as Record<string, unknown>;

  test('deploy/gateway.yaml passes the gateway parser, the routing loader and its drivers', async () => {
    const config = parseGatewayConfig(document, path);
    expect(config.server).toMatchObject({ host: '0.0.0.0', port: 3000 });
    expect(config.accounts[0]?.apiKeyHashes).toEqual([hashApiKey('demo-key-change-me')]);
    expect(config.accounts[0]?.defaultCountry).toBe('JP');
    const table = loadRoutingFile(path, { connectorIds: new Set(config.connectors.map((c) => c.id)) });
    expect(table.fileName).toBe(path);
    const drivers = config.connectors.map(createDriver);
    expect(drivers.map((d) => [d.id, d.kind])).toEqual([
      ['smsc-a', 'smpp'],
      ['smsc-b', 'smpp'],
    ]);
    await Promise.all(drivers.map((d) => d.close()));
    expect(document).not.toHaveProperty('kafka');
  });

  test('routing names the Japanese carriers', () => {
    const rules = document.rules as { match?: { carrier?: string[] } }[];
    const carriers = rules.flatMap((r) => r.match?.carrier ?? []);
    expect(carriers).toEqual(expect.arrayContaining(['docomo', 'au', 'softbank', 'rakuten']));
  });

  test('each SMPP connector reaches a simulator service on 0.0.0.0 with an account it accepts', () => {
    const simulator = checkConfig(parse(read('deploy/smsc/smsc.yaml')));
    const accounts = simulator.carriers.flatMap((c) => c.accounts ?? []);
    const connectors = document.connectors as { host: string; port: number; systemId: string; password: string }[];
    for (const c of connectors) {
      const s = service(c.host);
      expect(s.command?.slice(0, 2), c.host).toEqual(['simulate', 'smsc']);
      expect(flag(s, '--host'), c.host).toBe('0.0.0.0');
      expect(Number(flag(s, '--port')), c.host).toBe(c.port);
      expect(mounts(s).find((m) => m.target === flag(s, '--config'))?.source).toBe('./deploy/smsc/smsc.yaml');
      expect(accounts).toContainEqual(expect.objectContaining({ systemId: c.systemId, password: c.password }));
    }
    expect(statSync(at('deploy/smsc/smsc.yaml')).isFile()).toBe(true);
  });
});

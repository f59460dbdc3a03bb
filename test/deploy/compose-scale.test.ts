/**
 * deploy/compose.scale.yml checked without a Docker engine: docker-compose.yml and the override merged as
 * `docker compose -f docker-compose.yml -f deploy/compose.scale.yml up --scale gateway=N` merges them. The gateway
 * publishes no host port and may run as several containers, each its own process; the load balancer publishes
 * the gateway's port and sends to every replica of `gateway:3000` found through Docker's DNS; the console secret is
 * required; the dashboard counts the gauges every replica reports of shared state once. `haproxy -c` checks the
 * load balancer's file where HAProxy is installed (skipped elsewhere).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { at, dependsOn, loadCompose, mounts, read, readComposeFile, Reset, serviceOf, type Compose } from './compose-file.ts';

const FILES = ['docker-compose.yml', 'deploy/compose.scale.yml'] as const;
const SECRET = 'a-console-secret-of-at-least-32-characters';
const merged = loadCompose(FILES, { SMSGW_CONSOLE_SECRET: SECRET });
const base = loadCompose(['docker-compose.yml']);
const service = (name: string, compose: Compose = merged) => serviceOf(compose, name);

/** deploy/lb/haproxy.cfg as sections (`backend gateways`, `resolvers docker`, ...) of directive lines split in words. */
function haproxySections(text: string): Map<string, string[][]> {
  const sections = new Map<string, string[][]>();
  let current: string[][] | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.replace(/#.*$/, '').trimEnd();
    if (line.trim() === '') continue;
    if (!/^\s/.test(line)) sections.set(line, (current = []));
    else current?.push(line.trim().split(/\s+/));
  }
  return sections;
}

const cfg = haproxySections(read('deploy/lb/haproxy.cfg'));
const section = (name: string): string[][] => {
  const found = cfg.get(name);
  if (found === undefined) throw new Error(`haproxy.cfg has no section "${name}"`);
  return found;
};
const directive = (lines: string[][], ...words: string[]): string[] | undefined => lines.find((line) => words.every((word, i) => line[i] === word));
const haproxy = spawnSync('haproxy', ['-v'], { encoding: 'utf8' }).status === 0;

describe('deploy/compose.scale.yml', () => {
  test('the gateway publishes no host port and names no container or host, so it can run as several containers', () => {
    expect(service('gateway', base).ports).toEqual(['127.0.0.1:3000:3000']);
    expect((readComposeFile('deploy/compose.scale.yml', { SMSGW_CONSOLE_SECRET: SECRET }).services as Record<string, Record<string, unknown>>).gateway?.ports).toBeInstanceOf(Reset);
    const gateway = service('gateway');
    expect(gateway.ports).toBeUndefined();
    // Compose refuses to scale a service with a container_name; a fixed hostname would give every replica the
    // same process name prefix (host and pid), which names its bind leases.
    expect(gateway.container_name).toBeUndefined();
    expect(gateway.hostname).toBeUndefined();
    // Everything else of the gateway stays as the base file has it.
    expect(gateway.command).toEqual(service('gateway', base).command);
    expect(gateway.healthcheck).toEqual(service('gateway', base).healthcheck);
  });

  test("the load balancer publishes the gateway's port, once a healthy gateway answers, with a healthcheck of its own", () => {
    const lb = service('lb');
    expect(lb.image).toMatch(/^haproxy:3\./);
    expect(lb.ports).toEqual(service('gateway', base).ports);
    expect(loadCompose(FILES, { SMSGW_CONSOLE_SECRET: SECRET, GATEWAY_PORT: '8080', PUBLISH_ADDRESS: '0.0.0.0' }).services.lb?.ports).toEqual(['0.0.0.0:8080:3000']);
    expect(lb.depends_on).toEqual({ gateway: { condition: 'service_healthy' } });
    expect(mounts(lb)).toEqual([{ source: './deploy/lb/haproxy.cfg', target: '/usr/local/etc/haproxy/haproxy.cfg', bind: true }]);
    const monitor = directive(section('frontend api'), 'monitor-uri')?.[1];
    expect(monitor).toBeDefined();
    expect(lb.healthcheck?.test).toEqual(['CMD', 'wget', '-q', '-O', '/dev/null', `http://127.0.0.1:3000${monitor ?? ''}`]);
  });

  test("HAProxy listens on the published container port and balances round-robin over every gateway:3000 Docker's DNS names", () => {
    const published = String(service('lb').ports?.[0]).split(':').at(-1);
    const frontend = section('frontend api');
    expect(directive(frontend, 'bind')).toEqual(['bind', `:${published ?? ''}`]);
    const backendName = directive(frontend, 'default_backend')?.[1] ?? '';
    const backend = section(`backend ${backendName}`);
    expect(directive(backend, 'balance')).toEqual(['balance', 'roundrobin']);

    const template = directive(backend, 'server-template');
    const [, , count, address, ...params] = template ?? [];
    expect(address).toBe(`gateway:${String(service('gateway').environment?.PORT)}`);
    expect(Number(count)).toBeGreaterThanOrEqual(3);
    expect(params).toEqual(expect.arrayContaining(['check', 'resolvers', 'docker', 'init-addr', 'none']));
    expect(params[params.indexOf('resolvers') + 1]).toBe('docker');

    // Docker's embedded DNS, asked again every few seconds: replicas added or removed while running are followed.
    const resolvers = section('resolvers docker');
    expect(directive(resolvers, 'nameserver')?.[2]).toBe('127.0.0.11:53');
    expect(Number.parseInt(directive(resolvers, 'hold', 'valid')?.[2] ?? '', 10)).toBeLessThanOrEqual(10);

    // A replica gets requests once the check the gateway's own healthcheck uses answers 200.
    expect(JSON.stringify(service('gateway').healthcheck?.test)).toContain('/healthz');
    expect(directive(backend, 'option', 'httpchk')).toBeDefined();
    expect(directive(backend, 'http-check', 'send')).toEqual(['http-check', 'send', 'meth', 'GET', 'uri', '/healthz']);
    expect(directive(backend, 'http-check', 'expect')).toEqual(['http-check', 'expect', 'status', '200']);
  });

  test('the merged stack holds together: dependencies, healthchecks, mounted files, one service per host port', () => {
    const services = Object.entries(merged.services);
    for (const [name, s] of services) {
      for (const target of dependsOn(s)) expect(merged.services, `${name} depends on ${target}`).toHaveProperty([target]);
      if (s.depends_on !== undefined && !Array.isArray(s.depends_on)) {
        for (const [target, condition] of Object.entries(s.depends_on as Record<string, { condition?: string }>)) {
          if (condition.condition === 'service_healthy') expect(service(target).healthcheck, `${target} (for ${name})`).toBeDefined();
        }
      }
      for (const { source, bind } of mounts(s)) if (bind) expect(existsSync(at(source)), `${name} mounts ${source}`).toBe(true);
    }
    const hostPorts = services.flatMap(([, s]) => (s.ports ?? []).map((p) => String(p).split(':').slice(0, -1).join(':')));
    expect(new Set(hostPorts).size).toBe(hostPorts.length);
  });

  test('console sessions need one secret on every replica: the override refuses to start without it', () => {
    expect(() => loadCompose(FILES)).toThrow(/SMSGW_CONSOLE_SECRET/);
    expect(() => loadCompose(FILES, { SMSGW_CONSOLE_SECRET: '' })).toThrow(/SMSGW_CONSOLE_SECRET/);
    expect(service('gateway').environment?.SMSGW_CONSOLE_SECRET).toBe(SECRET);
    // The base file passes it on too (empty: each process draws its own key).
    expect(service('gateway', base).environment?.SMSGW_CONSOLE_SECRET).toBe('');
    expect(loadCompose(['docker-compose.yml'], { SMSGW_CONSOLE_SECRET: SECRET }).services.gateway?.environment?.SMSGW_CONSOLE_SECRET).toBe(SECRET);
  });

  test('the dashboard counts gauges of shared state once, however many replicas report them', () => {
    const dashboard = JSON.parse(read('deploy/grafana/dashboards/smsgw.json')) as { panels: { targets?: { expr: string }[] }[] };
    const exprs = dashboard.panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr));
    // Every replica samples the same route queues and the same outbox: a sum would count them N times.
    for (const shared of ['smsgw_queue_depth', 'smsgw_event_outbox_size']) {
      const uses = exprs.filter((expr) => expr.includes(shared));
      expect(uses.length, shared).toBeGreaterThan(0);
      for (const expr of uses) expect(expr, shared).toMatch(new RegExp(`^max(?: by \\([a-z, ]+\\) )?\\(${shared}\\)$`));
    }
  });

  test.skipIf(!haproxy)('haproxy -c accepts deploy/lb/haproxy.cfg', () => {
    const check = spawnSync('haproxy', ['-c', '-f', at('deploy/lb/haproxy.cfg')], { encoding: 'utf8' });
    expect(check.status, `${check.stdout}${check.stderr}`).toBe(0);
  });
});

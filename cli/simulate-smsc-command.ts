import type { Command } from 'commander';
import { untilStopSignal } from './until-stop-signal.ts';
import type { SimulatorConfig, SmscCarrierOptions } from '../simulator/index.ts';

/** The simulator loads when the command runs, so `smsgw` starts fast for everything else. */
const load = () => import('../simulator/index.ts');
type Lib = Awaited<ReturnType<typeof load>>;

interface SimulateSmscFlags {
  readonly port?: string;
  readonly controlPort?: string;
  readonly host?: string;
  readonly scenario?: string;
  readonly config?: string;
  readonly carriers?: string;
}

function portFlag({ simError }: Lib, flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535) {
    throw simError('SIM_INVALID_CONFIG', `${flag} must be a port number from 0 to 65535, got ${value}`, { field: flag, value });
  }
  return port;
}

/** Flags over the file: --port gives the first carrier its port and the next ones the following ports. */
function resolve(lib: Lib, config: SimulatorConfig, flags: SimulateSmscFlags): SimulatorConfig {
  const { simError, checkConfig } = lib;
  let carriers: readonly SmscCarrierOptions[] = config.carriers;
  if (flags.carriers !== undefined) {
    if (config.carriers.length > 1 || config.carriers.some((c) => c.name !== undefined)) {
      throw simError('SIM_INVALID_CONFIG', '--carriers cannot be combined with carriers in the config file', { field: '--carriers' });
    }
    const names = flags.carriers.split(',').map((n) => n.trim());
    const bad = names.find((n) => !/^[A-Za-z0-9_.-]{1,40}$/.test(n));
    if (bad !== undefined) throw simError('SIM_INVALID_CONFIG', `--carriers has an invalid name: "${bad}"`, { field: '--carriers', value: bad });
    const base = config.carriers[0] ?? {};
    carriers = names.map((name) => ({ ...base, name }));
  }
  const port = portFlag(lib, '--port', flags.port);
  const controlPort = portFlag(lib, '--control-port', flags.controlPort);
  carriers = carriers.map((c, i) => ({
    ...c,
    ...(port === undefined ? {} : { port: port === 0 ? 0 : port + i }),
    ...(flags.scenario === undefined ? {} : { scenario: flags.scenario }),
  }));
  const host = flags.host ?? config.host;
  const control = controlPort ?? config.controlPort;
  // Checked again with the flags applied, so a bad --scenario is reported before anything listens.
  const plain = carriers.map(({ accounts, ...rest }) => ({ ...rest, ...(accounts === undefined ? {} : { accounts: [...accounts] }) }));
  const only = plain.length === 1 && plain[0]?.name === undefined ? plain[0] : undefined;
  return checkConfig({
    ...(only ?? { carriers: plain }),
    ...(host === undefined ? {} : { host }),
    ...(control === undefined ? {} : { controlPort: control }),
  });
}

/** `smsgw simulate smsc`: runs simulated SMSCs until SIGINT / SIGTERM. */
export function registerSimulateSmscCommand(simulate: Command): void {
  simulate
    .command('smsc')
    .description('run a simulated SMPP 3.4 SMSC (one SMPP port per carrier) with an HTTP control API')
    .option('--port <port>', 'SMPP port (0: any free port; with several carriers, the first of consecutive ports)')
    .option('--control-port <port>', 'control API port (0: any free port)')
    .option('--host <address>', 'address to listen on (default 127.0.0.1)')
    .option('--scenario <name>', 'named behaviour to start with (see GET /scenarios)')
    .option('--config <file>', 'YAML configuration: accounts, behaviour, carriers')
    .option('--carriers <names>', 'comma-separated carrier names, one SMPP port each')
    .action(async (flags: SimulateSmscFlags) => {
      const lib = await load();
      const fromFile = flags.config === undefined ? lib.checkConfig({}) : await lib.loadConfigFile(flags.config);
      const config = resolve(lib, fromFile, flags);
      const cluster = await lib.startSmscCluster(config.carriers, {
        ...(config.host === undefined ? {} : { host: config.host }),
        ...(config.controlPort === undefined ? {} : { controlPort: config.controlPort }),
      });
      const smppPorts =
        cluster.carriers.length === 1
          ? `smpp=${cluster.carriers[0]?.host}:${cluster.carriers[0]?.smppPort}`
          : cluster.carriers.map((c) => `smpp.${c.name}=${c.host}:${c.smppPort}`).join(' ');
      const stopped = untilStopSignal();
      process.stdout.write(`smsc simulator ready ${smppPorts} control=${cluster.controlUrl}\n`);
      await stopped;
      await cluster.close();
    });
}

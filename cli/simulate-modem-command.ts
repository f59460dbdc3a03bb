import type { Command } from 'commander';
import { untilStopSignal } from './until-stop-signal.ts';
import type { ModemSimError, VirtualModemOptions } from '../simulator/index.ts';

/** The simulator loads when the command runs, so `smsgw` starts fast for everything else. */
const load = () => import('../simulator/index.ts');
type Lib = Awaited<ReturnType<typeof load>>;

interface SimulateModemFlags {
  readonly link?: string;
  readonly carrier?: string;
  readonly imei?: string;
  readonly profile?: string;
  readonly scenario?: string;
  readonly config?: string;
  readonly controlPort?: string;
}

function invalid({ modemSimError }: Lib, field: string, value: unknown, why: string): ModemSimError {
  return modemSimError('MODEMSIM_INVALID_OPTION', `${field} ${why}`, { field, value });
}

/** `smsgw simulate modem`: a virtual USB modem on a pseudo-terminal until SIGINT / SIGTERM. */
export function registerSimulateModemCommand(simulate: Command): void {
  simulate
    .command('modem')
    .description('run a virtual GSM modem on a pseudo-terminal (AT commands, PDU and text mode) with an HTTP control API')
    .option('--link <path>', 'where the device appears, e.g. /tmp/modem0')
    .option('--carrier <name>', 'the SIM\'s network: docomo, kddi, softbank or rakuten')
    .option('--imei <digits>', 'IMEI (15 digits; default random)')
    .option('--profile <name>', 'device model: generic, huawei-e3372, quectel-ec25 or simcom-sim7600')
    .option('--scenario <name>', 'named behaviour: happy, pin-required, no-network, send-errors, garbage, flapping, ...')
    .option('--config <file>', 'YAML: link, identity, scenario, behaviour, control port, inbound messages to inject')
    .option('--control-port <port>', 'control API port on 127.0.0.1 (0: any free port)')
    .action(async (flags: SimulateModemFlags) => {
      const lib = await load();
      const file = flags.config === undefined ? { options: {}, inbound: [] } : await lib.loadModemConfig(flags.config);
      let controlPort = file.options.controlPort;
      if (flags.controlPort !== undefined) {
        if (!/^\d{1,5}$/.test(flags.controlPort) || Number(flags.controlPort) > 65535) {
          throw invalid(lib, '--control-port', flags.controlPort, 'must be a port number from 0 to 65535');
        }
        controlPort = Number(flags.controlPort);
      }
      const path = flags.link ?? file.options.path;
      if (path === undefined) throw invalid(lib, '--link', undefined, 'is required (or link: in the config file)');
      const options: VirtualModemOptions = {
        ...file.options,
        path,
        ...(flags.carrier === undefined ? {} : { carrier: flags.carrier }),
        ...(flags.imei === undefined ? {} : { imei: flags.imei }),
        ...(flags.profile === undefined ? {} : { profile: flags.profile }),
        ...(flags.scenario === undefined ? {} : { scenario: flags.scenario }),
        ...(controlPort === undefined ? {} : { controlPort }),
      };
      const modem = await lib.startVirtualModem(options);
      const timers = file.inbound.map(({ delayMs, ...message }) =>
        setTimeout(() => {
          try {
            modem.injectInbound(message);
          } catch (error) {
            process.stderr.write(`smsgw: inbound from ${message.from} not injected: ${(error as Error).message}\n`);
          }
        }, delayMs),
      );
      const control = modem.controlPort === undefined ? '' : ` control=http://127.0.0.1:${modem.controlPort}`;
      const { identity } = modem;
      const stopped = untilStopSignal();
      process.stdout.write(
        `modem simulator ready path=${modem.path} imei=${identity.imei} carrier=${identity.carrier.name} model=${identity.model}${control}\n`,
      );
      await stopped;
      for (const timer of timers) clearTimeout(timer);
      await modem.close();
    });
}

/**
 * `smsgw`: the composition root for people and scripts. Each subcommand lives in its own module and
 * registers itself on the program; errors become one line on stderr and a non-zero exit.
 */
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { isCodedError } from '../common/index.ts';
import { registerServeCommand } from './serve-command.ts';
import { registerPduCommand } from './pdu-command.ts';
import { registerSegmentsCommand } from './segments-command.ts';
import { registerRouteCommand } from './route-command.ts';
import { registerMnpCommand } from './mnp-command.ts';
import { registerSimulateCommand } from './simulate-command.ts';
import { registerEventsCommand } from './events-command.ts';
import { registerKeysCommand } from './keys-command.ts';
import { registerUsageCommand } from './usage-command.ts';

export type CommandRegistrar = (program: Command) => void;

const registrars: readonly CommandRegistrar[] = [registerServeCommand, registerPduCommand, registerSegmentsCommand, registerRouteCommand, registerMnpCommand, registerSimulateCommand, registerEventsCommand, registerKeysCommand, registerUsageCommand];

/** The version of the installed package, as `npm` and the registry know it. */
function packageVersion(): string {
  const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version?: unknown };
  return typeof manifest.version === 'string' ? manifest.version : 'unknown';
}

export function buildProgram(): Command {
  const program = new Command('smsgw')
    .description('SMS gateway: HTTP API, SMPP and modem drivers, routing, simulators and codec tools')
    .version(packageVersion(), '-V, --version', 'print the version of smsgw')
    .exitOverride()
    .showHelpAfterError(false)
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  for (const register of registrars) register(program);
  for (const command of program.commands) command.exitOverride();
  return program;
}

/** Runs the CLI and resolves to the process exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync([...argv]);
    return 0;
  } catch (error: unknown) {
    return exitCodeFor(error);
  }
}

function exitCodeFor(error: unknown): number {
  if (error instanceof CommanderError) {
    // Commander already printed its message (usage errors) or the help/version text.
    return error.exitCode === 0 ? 0 : 2;
  }
  if (isCodedError(error)) {
    process.stderr.write(`smsgw: ${error.code}: ${error.message}\n`);
    return 1;
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`smsgw: ${message.split('\n')[0] ?? 'unknown error'}\n`);
  return 1;
}

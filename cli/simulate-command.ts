/**
 * `smsgw simulate <what>`: the simulators for tests and testers. A command group: each simulator registers its
 * own subcommand from its own module through the list below.
 */
import type { Command } from 'commander';
import { registerSimulateSmscCommand } from './simulate-smsc-command.ts';
import { registerSimulateModemCommand } from './simulate-modem-command.ts';

export type SimulateRegistrar = (simulate: Command) => void;

const simulateRegistrars: readonly SimulateRegistrar[] = [registerSimulateSmscCommand, registerSimulateModemCommand];

export function registerSimulateCommand(program: Command): void {
  const simulate = program.command('simulate').description('run a simulator (an SMSC, a GSM modem) for tests and testers');
  for (const register of simulateRegistrars) register(simulate);
  for (const command of simulate.commands) command.exitOverride();
}

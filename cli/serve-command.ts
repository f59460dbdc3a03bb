import type { Command } from 'commander';

/** Runs the gateway on its embedded defaults. Until the gateway core lands it prints the tool overview. */
export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('run the gateway (embedded defaults: memory adapters and in-process simulated carriers)')
    .action(() => {
      process.stdout.write('The gateway core is not built yet; these tools are available now:\n\n');
      process.stdout.write(program.helpInformation());
    });
}

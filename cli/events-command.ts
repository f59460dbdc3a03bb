import type { Command } from 'commander';
import type { TailOptions } from './events/tail-records.ts';

/** `smsgw events`: the gateway's Kafka records, for operators and scripts. */
export function registerEventsCommand(program: Command): void {
  const events = program.command('events').description("read the gateway's Kafka records");
  events
    .command('tail')
    .description('print records of a topic as JSON lines ({topic, partition, offset, key, timestamp, value}) until Ctrl-C or --max')
    .option('--topic <topic>', 'topic to read (default: the configured events topic, sms.events)')
    .option('--from-beginning', 'start at the oldest record kept instead of new records only')
    .option('--brokers <list>', 'comma-separated host:port list (default: $KAFKA_BROKERS, then kafka.brokers of --config)')
    .option('--config <file>', 'gateway configuration file (YAML) for kafka.brokers and kafka.topics')
    .option('--max <n>', 'exit after this many records')
    .action(async (options: TailOptions) => {
      // Loaded here, not at the top: kafkajs and the gateway load only for this command.
      const { tailRecords } = await import('./events/tail-records.ts');
      await tailRecords(options);
    });
}

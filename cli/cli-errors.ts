import { CodedError, errorFactory, type ErrorTable } from '../common/index.ts';

/** Errors of the command-line tools themselves (options, the services a one-shot command reaches). */
export const CLI_ERRORS = {
  CLI_INVALID_OPTION: { message: 'invalid command-line option', retriable: false },
  CLI_WORKERS_NEED_REDIS: { message: 'several gateway processes need a shared store (REDIS_URL)', retriable: false },
  CLI_KAFKA_UNREACHABLE: { message: 'could not reach the Kafka brokers', retriable: true },
  CLI_KAFKA_TOPIC_NOT_FOUND: { message: 'no such Kafka topic', retriable: false },
  CLI_GATEWAY_UNREACHABLE: { message: "could not reach the gateway's API", retriable: true },
} as const satisfies ErrorTable<string>;

export type CliErrorCode = keyof typeof CLI_ERRORS;

export class CliError extends CodedError<CliErrorCode> {}

export const cliError = errorFactory<CliErrorCode, CliError>(CLI_ERRORS, CliError);

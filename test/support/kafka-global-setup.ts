/**
 * Vitest global setup: one real Kafka broker for the whole run, its address provided to every test file as
 * `inject('kafkaBrokers')`. Tests that need to stop or restart a broker start their own KafkaBroker instead.
 */
import type { TestProject } from 'vitest/node';
import { KafkaBroker } from './kafka-broker.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** bootstrap addresses of the shared broker, e.g. ['127.0.0.1:40123'] */
    kafkaBrokers: string[];
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const broker = await KafkaBroker.start();
  project.provide('kafkaBrokers', broker.brokers);
  return async () => {
    await broker.close();
  };
}

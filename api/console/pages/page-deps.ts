import type { FastifyInstance } from 'fastify';
import type { GatewayServices } from '../../../gateway/index.ts';

/** What a console page module gets: the gateway's services (the same the API calls) and the clock. */
export interface ConsolePageDeps {
  readonly gateway: GatewayServices;
  readonly now: () => number;
}

/** A page module registers its routes on the console's scope (paths relative to /console). */
export type ConsolePage = (app: FastifyInstance, deps: ConsolePageDeps) => void;

/**
 * The gateway the console's browser tests drive: the embedded default that `npm start` runs (memory store, the two
 * simulated carriers as SMSC simulators on real TCP ports, the demo account with a fresh API key, the embedded
 * routing), started the way `smsgw serve` starts it (`startEmbedded` then `runGateway`), with the HTTP app on
 * 127.0.0.1 on a free port. Tests add console users and other account settings through `account`.
 *
 * Without `modem: true` the virtual modem is left out (it needs socat and a pty, and few pages need it).
 * `now` replaces the clock of the core and of routing decisions (timestamps, windows); timers still run on real
 * time, which a browser waits on anyway.
 */
import { hash } from '@node-rs/argon2';
import { startEmbedded, type EmbeddedCarrier } from '../../cli/serve/embedded-defaults.ts';
import { EMBEDDED_FILE_NAME } from '../../cli/serve/embedded-routing.ts';
import { runGateway, type RunningGateway } from '../../cli/serve/run-gateway.ts';
import type { Gateway } from '../../gateway/index.ts';
import type { RecordedMessage, RecordFilter, SmscSimulatorHandle } from '../../simulator/index.ts';
import { waitFor } from './wait-for.ts';

/** The account the embedded default makes; the harness's API key belongs to it. */
export const CONSOLE_ACCOUNT_ID = 'demo';

export type ConsoleRole = 'operator' | 'viewer';

/** A console user as an account's configuration gives it (`accounts[].consoleUsers[]`). */
export interface ConsoleUserConfig {
  readonly name: string;
  /** argon2id PHC string (`$argon2id$v=19$...`) from @node-rs/argon2 `hash()`. */
  readonly passwordHash: string;
  readonly role: ConsoleRole;
}

/** A console user entry for `account.consoleUsers`, its password hashed as the configuration keeps it. */
export async function consoleUser(name: string, password: string, role: ConsoleRole): Promise<ConsoleUserConfig> {
  return { name, passwordHash: await hash(password), role };
}

/**
 * Keys laid over the demo account's configuration entry (its `id` and `apiKeyHashes` stay unless replaced). Any
 * key the account configuration accepts; the configuration check refuses the others when the gateway starts.
 */
export type AccountOverride = { readonly consoleUsers?: readonly ConsoleUserConfig[] } & Readonly<Record<string, unknown>>;

export interface ConsoleGatewayOptions {
  readonly account?: AccountOverride;
  /** More accounts, each a whole configuration entry (`id`, `apiKeyHashes`, ...). */
  readonly accounts?: readonly Readonly<Record<string, unknown>>[];
  /** The virtual modem connector `modem-pool` (needs socat), as `npm start` has it when socat is installed. */
  readonly modem?: boolean;
  /** The clock of the core and of routing (e.g. `() => clock.now` of a ManualClock). */
  readonly now?: () => number;
  /** pino level of the gateway's log; default silent. */
  readonly logLevel?: string;
}

/** The simulated carriers behind the gateway. */
export interface ConsoleSmsc {
  /** Each carrier by connector id: `carrier-a` takes docomo and Rakuten numbers, `carrier-b` au and SoftBank. */
  readonly carriers: Readonly<Record<EmbeddedCarrier, SmscSimulatorHandle>>;
  /** What the carriers received (every message with its parts reassembled), oldest first across both. */
  messages(filter?: RecordFilter): RecordedMessage[];
}

export interface ConsoleGateway {
  /** `http://127.0.0.1:<port>`: the API, /docs and /console. */
  readonly baseUrl: string;
  /** A key of the demo account (`Authorization: Bearer <apiKey>`). */
  readonly apiKey: string;
  readonly accountId: string;
  /** The core, with its services. */
  readonly gateway: Gateway;
  /** The running process as `serve` holds it: the fastify app, the backend, `reload()`. */
  readonly running: RunningGateway;
  readonly smsc: ConsoleSmsc;
  /** Stops the HTTP app and the core, then the simulators; safe to call twice. */
  close(): Promise<void>;
}

export async function startConsoleGateway(options: ConsoleGatewayOptions = {}): Promise<ConsoleGateway> {
  const embedded = await startEmbedded(options.modem === true ? {} : { modem: false });
  let running: RunningGateway;
  try {
    const document = withAccounts(embedded.document, options);
    running = await runGateway({
      document,
      fileName: EMBEDDED_FILE_NAME,
      host: '127.0.0.1',
      port: 0,
      logLevel: options.logLevel ?? 'silent',
      ...(options.now === undefined ? {} : { now: options.now }),
    });
  } catch (error: unknown) {
    await embedded.close();
    throw error;
  }
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      try {
        await running.stop();
      } finally {
        await embedded.close();
      }
    })();
    return closing;
  };
  try {
    // Pages and screenshots start with every bind up, as an operator would find them.
    const connectors = (embedded.document.connectors as { id: string }[]).map((c) => c.id);
    await waitFor(() => connectors.every((id) => running.gateway.links.isUp(id)), `the binds of ${connectors.join(', ')} up`);
  } catch (error: unknown) {
    await close();
    throw error;
  }
  const carriers = embedded.carriers;
  return {
    baseUrl: running.url,
    apiKey: embedded.apiKey,
    accountId: CONSOLE_ACCOUNT_ID,
    gateway: running.gateway,
    running,
    smsc: {
      carriers,
      messages: (filter) =>
        Object.values(carriers)
          .flatMap((carrier) => carrier.messages(filter))
          .sort((a, b) => a.receivedAt.localeCompare(b.receivedAt)),
    },
    close,
  };
}

/** The embedded document with the demo account overridden and the extra accounts added. */
function withAccounts(document: Record<string, unknown>, options: ConsoleGatewayOptions): Record<string, unknown> {
  const [demo, ...others] = document.accounts as Record<string, unknown>[];
  if (demo?.id !== CONSOLE_ACCOUNT_ID) throw new Error(`the embedded default's first account is ${String(demo?.id)}, not ${CONSOLE_ACCOUNT_ID}`);
  return { ...document, accounts: [{ ...demo, ...options.account }, ...others, ...(options.accounts ?? [])] };
}

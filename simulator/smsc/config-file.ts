/**
 * The simulator's configuration file (YAML, or JSON which YAML reads too), checked with ajv so a mistake is
 * reported with the field that holds it. Either one carrier at the top level, or `carriers:` with one entry per
 * carrier; top-level carrier fields are then defaults for every entry.
 */
import { readFile } from 'node:fs/promises';
import { Ajv } from 'ajv';
import { parse as parseYaml } from 'yaml';
import { BEHAVIOUR_PATCH_SCHEMA, describeAjvError } from './behaviour-schema.ts';
import { simError } from './errors.ts';
import { scenarioBehaviour } from './scenarios.ts';
import type { SmscCarrierOptions } from './smsc-carrier.ts';
import type { SmscAccount } from './carrier-context.ts';

export interface SimulatorConfig {
  readonly host?: string;
  readonly controlPort?: number;
  readonly carriers: readonly SmscCarrierOptions[];
}

const port = { type: 'integer', minimum: 0, maximum: 65535 };
const carrierProperties = {
  name: { type: 'string', pattern: '^[A-Za-z0-9_.-]{1,40}$' },
  port,
  systemId: { type: 'string', minLength: 1, maxLength: 15 },
  accounts: {
    type: 'array',
    minItems: 1,
    items: {
      type: 'object',
      additionalProperties: false,
      required: ['systemId', 'password'],
      properties: {
        systemId: { type: 'string', minLength: 1, maxLength: 15 },
        password: { type: 'string', maxLength: 8 },
        maxBinds: { type: 'integer', minimum: 1, maximum: 1000 },
      },
    },
  },
  scenario: { type: 'string' },
  behaviour: BEHAVIOUR_PATCH_SCHEMA,
  maxRecords: { type: 'integer', minimum: 1, maximum: 10_000_000 },
  concatTimeoutMs: { type: 'integer', minimum: 1, maximum: 86_400_000 },
  maxPendingDeliveries: { type: 'integer', minimum: 1, maximum: 10_000_000 },
} as const;

export const CONFIG_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    host: { type: 'string', minLength: 1 },
    controlPort: port,
    ...carrierProperties,
    carriers: {
      type: 'array',
      minItems: 1,
      maxItems: 100,
      items: { type: 'object', additionalProperties: false, required: ['name'], properties: carrierProperties },
    },
  },
} as const;

const validate = new Ajv({ allErrors: false, strict: true, allowUnionTypes: true, discriminator: true }).compile(CONFIG_SCHEMA);

type RawAccount = { systemId: string; password: string; maxBinds?: number };
type RawCarrier = Omit<SmscCarrierOptions, 'accounts'> & { accounts?: RawAccount[] };
type RawConfig = RawCarrier & { host?: string; controlPort?: number; carriers?: RawCarrier[] };

function accounts(raw: readonly RawAccount[] | undefined): readonly SmscAccount[] | undefined {
  return raw?.map((a) => ({ systemId: a.systemId, password: a.password, maxBinds: a.maxBinds ?? 10 }));
}

/** Checks a parsed configuration object; `source` names it in errors. */
export function checkConfig(value: unknown, source = 'config'): SimulatorConfig {
  if (!validate(value ?? {})) {
    const first = validate.errors?.[0];
    const { field, problem } = first === undefined ? { field: source, problem: 'is invalid' } : describeAjvError('', first);
    throw simError('SIM_INVALID_CONFIG', `${source}: ${field} ${problem}`, { field, problem, source });
  }
  const raw = (value ?? {}) as RawConfig;
  const { host, controlPort, carriers, ...defaults } = raw;
  const list: RawCarrier[] = carriers ?? [defaults];
  const out = list.map((c, i) => {
    const merged: RawCarrier = carriers === undefined ? c : { ...defaults, ...c };
    const root = carriers === undefined ? 'behaviour' : `carriers[${i}].behaviour`;
    // Checked now, so a bad scenario or behaviour is reported against the file before anything listens.
    scenarioBehaviour(merged.scenario ?? 'happy', merged.behaviour, root);
    const { accounts: rawAccounts, ...rest } = merged;
    const checked = accounts(rawAccounts);
    return { ...rest, ...(checked === undefined ? {} : { accounts: checked }) };
  });
  return { ...(host === undefined ? {} : { host }), ...(controlPort === undefined ? {} : { controlPort }), carriers: out };
}

export async function loadConfigFile(path: string): Promise<SimulatorConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error: unknown) {
    throw simError('SIM_CONFIG_FILE', `${path}: ${error instanceof Error ? error.message : String(error)}`, { field: 'config', value: path }, { cause: error });
  }
  let value: unknown;
  try {
    value = parseYaml(text);
  } catch (error: unknown) {
    throw simError('SIM_CONFIG_FILE', `${path}: not valid YAML: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`, { field: 'config', value: path }, { cause: error });
  }
  return checkConfig(value, path);
}

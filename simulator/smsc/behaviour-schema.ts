/**
 * JSON Schema of the behaviour (and of the configuration file built on it), checked with ajv. One schema serves
 * the config file, the control API and `startSmscSimulator` options, so every entry point reports a bad field
 * the same way: `SIM_INVALID_CONFIG` with the field's dotted path.
 */
import { Ajv, type ErrorObject } from 'ajv';
import { STATUS, MESSAGE_STATE_BY_STAT } from '../../drivers/smpp-protocol/index.ts';
import { mergeBehaviour, type Behaviour, type BehaviourPatch } from './behaviour.ts';
import { simError } from './errors.ts';

type Schema = Record<string, unknown>;

const ms = { type: 'integer', minimum: 0, maximum: 3_600_000 };
const statusSchema = { anyOf: [{ enum: Object.keys(STATUS) }, { type: 'integer', minimum: 1, maximum: 0xffffffff }] };

function obj(properties: Record<string, Schema>, required: boolean, nullable = false): Schema {
  return {
    type: nullable ? ['object', 'null'] : 'object',
    additionalProperties: false,
    properties,
    ...(required ? { required: Object.keys(properties) } : {}),
  };
}

/** The behaviour schema; `complete` requires every field (a full behaviour), otherwise it checks a patch. */
function behaviourSchema(complete: boolean): Schema {
  const latency = {
    type: 'object',
    discriminator: { propertyName: 'kind' },
    required: ['kind'],
    properties: { kind: { enum: ['fixed', 'uniform', 'normal'] } },
    oneOf: [
      obj({ kind: { const: 'fixed' }, ms }, complete),
      obj({ kind: { const: 'uniform' }, minMs: ms, maxMs: ms }, complete),
      obj({ kind: { const: 'normal' }, meanMs: ms, stdDevMs: ms }, complete),
    ],
  };
  const outcome = obj(
    {
      stat: { enum: Object.keys(MESSAGE_STATE_BY_STAT) },
      weight: { type: 'number', exclusiveMinimum: 0 },
      err: { type: 'integer', minimum: 0, maximum: 999 },
      prefix: { type: 'string', pattern: '^\\+?[0-9A-Za-z]{1,20}$' },
    },
    false,
  );
  (outcome as { required: string[] }).required = ['stat', 'weight'];
  const submitError = obj({ prefix: { type: 'string', pattern: '^\\+?[0-9A-Za-z]{1,20}$' }, status: statusSchema, nack: { type: 'boolean' } }, false);
  (submitError as { required: string[] }).required = ['prefix', 'status'];
  return obj(
    {
      throttle: obj({ tps: { type: 'integer', minimum: 1, maximum: 1_000_000 }, scope: { enum: ['bind', 'account'] } }, complete, true),
      latency,
      window: obj({ max: { type: 'integer', minimum: 1, maximum: 1_000_000 }, status: { enum: ['ESME_RMSGQFUL', 'ESME_RTHROTTLED'] } }, complete, true),
      messageIds: obj({ format: { enum: ['hex', 'decimal'] }, width: { type: 'integer', minimum: 0, maximum: 64 }, empty: { type: 'boolean' } }, complete),
      receipts: obj(
        {
          enabled: { type: 'boolean' },
          delayMs: ms,
          outcomes: { type: 'array', minItems: 1, maxItems: 100, items: outcome },
          intermediate: { type: 'boolean' },
          textIdFormat: { enum: ['same', 'hex', 'decimal'] },
          textIdWidth: { type: 'integer', minimum: 0, maximum: 64 },
        },
        complete,
      ),
      submitErrors: { type: 'array', maxItems: 1000, items: submitError },
      querySm: { enum: ['answer', 'generic_nack', 'ESME_RINVCMDID'] },
      dropEveryPdus: { type: 'integer', minimum: 0 },
      answerEnquireLink: { type: 'boolean' },
      enquireLinkIntervalMs: { type: 'integer', minimum: 0, maximum: 3_600_000 },
      deliver: obj(
        {
          respTimeoutMs: { type: 'integer', minimum: 1, maximum: 3_600_000 },
          window: { type: 'integer', minimum: 1, maximum: 100_000 },
          maxAttempts: { type: 'integer', minimum: 1, maximum: 100 },
          retryDelayMs: ms,
        },
        complete,
      ),
      seed: { type: 'integer', minimum: 0, maximum: 0xffffffff },
    },
    complete,
  );
}

export const BEHAVIOUR_PATCH_SCHEMA: Schema = behaviourSchema(false);

const ajv = new Ajv({ allErrors: false, strict: true, allowUnionTypes: true, discriminator: true });
const validatePatch = ajv.compile(BEHAVIOUR_PATCH_SCHEMA);
const validateComplete = ajv.compile(behaviourSchema(true));

/** `/receipts/outcomes/0/stat` under `behaviour` becomes `behaviour.receipts.outcomes[0].stat`. */
export function fieldPath(root: string, instancePath: string): string {
  let path = root;
  for (const segment of instancePath.split('/').slice(1)) {
    const key = segment.replaceAll('~1', '/').replaceAll('~0', '~');
    path += /^\d+$/.test(key) ? `[${key}]` : path === '' ? key : `.${key}`;
  }
  return path === '' ? '(root)' : path;
}

/** One readable line for the first ajv error, naming the field. */
export function describeAjvError(root: string, error: ErrorObject): { field: string; problem: string } {
  const params = error.params as Record<string, unknown>;
  let field = fieldPath(root, error.instancePath);
  let problem = error.message ?? 'is invalid';
  if (error.keyword === 'additionalProperties') {
    field = fieldPath(root, `${error.instancePath}/${String(params.additionalProperty)}`);
    problem = 'is not a known field';
  } else if (error.keyword === 'required') {
    field = fieldPath(root, `${error.instancePath}/${String(params.missingProperty)}`);
    problem = 'is required';
  } else if (error.keyword === 'enum') {
    problem = `must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
  }
  return { field, problem };
}

function invalid(root: string, errors: readonly ErrorObject[] | null | undefined, value: unknown): never {
  const first = errors?.[0];
  const { field, problem } = first === undefined ? { field: root, problem: 'is invalid' } : describeAjvError(root, first);
  throw simError('SIM_INVALID_CONFIG', `${field} ${problem}`, { field, problem, value: valueAt(value, first?.instancePath ?? '') });
}

function valueAt(value: unknown, instancePath: string): unknown {
  let current = value;
  for (const segment of instancePath.split('/').slice(1)) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
}

/** Checks a patch (unknown input), applies it, and checks the result is a complete behaviour. */
export function applyBehaviourPatch(base: Behaviour, patch: unknown, root = 'behaviour'): Behaviour {
  if (!validatePatch(patch)) invalid(root, validatePatch.errors, patch);
  const merged = mergeBehaviour(base, patch as BehaviourPatch);
  if (!validateComplete(merged)) invalid(root, validateComplete.errors, merged);
  const latency = merged.latency;
  if (latency.kind === 'uniform' && latency.minMs > latency.maxMs) {
    throw simError('SIM_INVALID_CONFIG', `${root}.latency.minMs must not exceed maxMs`, { field: `${root}.latency.minMs`, value: latency.minMs });
  }
  return merged;
}

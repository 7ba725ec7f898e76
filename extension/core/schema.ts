/**
 * The single source of op and field facts: schemas/ops.json and schemas/mixvargenet-config.schema.json.
 * Completion, hover, lint and docs all read them through this module.
 */
import opsJson from '../../schemas/ops.json';
import configSchema from '../../schemas/mixvargenet-config.schema.json';

export interface OpSpec {
  name: string;
  conv2_kernel_size: number;
  padding: number;
  factor: number;
  conv1_group_base?: number;
  conv2_group_base?: number;
  merge_branch?: boolean;
  j5?: boolean;
  reparam?: boolean;
  doc?: string;
  /** Where the op came from: the built-in table or a user file. */
  source: string;
}

export interface FieldSpec {
  name: string;
  pythonType: string;
  required: boolean;
  default?: unknown;
  description: string;
  snippet: string;
  isOp: boolean;
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
}

export interface BackboneArgSpec {
  name: string;
  required: boolean;
  default?: unknown;
  description: string;
}

export class OpTable {
  private readonly ops = new Map<string, OpSpec>();
  readonly problems: string[] = [];

  constructor(base: Record<string, Omit<OpSpec, 'name' | 'source'>> = (opsJson as { ops: Record<string, Omit<OpSpec, 'name' | 'source'>> }).ops) {
    for (const [name, spec] of Object.entries(base)) this.ops.set(name, { ...spec, name, source: 'HAT BLOCK_CONFIG' });
  }

  get(name: string): OpSpec | undefined {
    return this.ops.get(name);
  }

  has(name: string): boolean {
    return this.ops.has(name);
  }

  names(): string[] {
    return [...this.ops.keys()];
  }

  all(): OpSpec[] {
    return [...this.ops.values()];
  }

  /**
   * Add ops from a user file's parsed JSON ({"ops": {...}} or a bare map). Invalid entries are
   * reported in `problems` and skipped; a user op may override a built-in one.
   */
  extend(json: unknown, source: string): OpTable {
    const t = new OpTable([] as never);
    for (const op of this.ops.values()) t.ops.set(op.name, op);
    t.problems.push(...this.problems);
    const map = json && typeof json === 'object' && 'ops' in (json as object) ? (json as { ops: unknown }).ops : json;
    if (!map || typeof map !== 'object' || Array.isArray(map)) {
      t.problems.push(`${source}: expected {"ops": {"name": {...}}}`);
      return t;
    }
    for (const [name, raw] of Object.entries(map as Record<string, unknown>)) {
      const err = validateOp(raw);
      if (err) {
        t.problems.push(`${source}: op "${name}": ${err}`);
        continue;
      }
      t.ops.set(name, { ...(raw as Omit<OpSpec, 'name' | 'source'>), name, source });
    }
    return t;
  }
}

function validateOp(raw: unknown): string | undefined {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return 'expected an object';
  const o = raw as Record<string, unknown>;
  const posInt = (k: string, min: number) => typeof o[k] === 'number' && Number.isInteger(o[k]) && (o[k] as number) >= min;
  if (!posInt('conv2_kernel_size', 1)) return 'conv2_kernel_size must be an integer ≥ 1';
  if (!posInt('padding', 0)) return 'padding must be an integer ≥ 0';
  if (typeof o.factor !== 'number' || o.factor <= 0) return 'factor must be a number > 0';
  for (const k of ['conv1_group_base', 'conv2_group_base']) if (o[k] !== undefined && !posInt(k, 1)) return `${k} must be an integer ≥ 1`;
  for (const k of ['merge_branch', 'j5', 'reparam']) if (o[k] !== undefined && typeof o[k] !== 'boolean') return `${k} must be true or false`;
  if (o.doc !== undefined && typeof o.doc !== 'string') return 'doc must be a string';
  const allowed = new Set(['conv2_kernel_size', 'padding', 'factor', 'conv1_group_base', 'conv2_group_base', 'merge_branch', 'j5', 'reparam', 'doc']);
  const extra = Object.keys(o).filter((k) => !allowed.has(k));
  if (extra.length) return `unknown setting ${extra.map((e) => `"${e}"`).join(', ')}`;
  return undefined;
}

type JsonProp = {
  type?: string;
  description?: string;
  default?: unknown;
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  'x-python-type'?: string;
  'x-snippet'?: string;
  'x-op'?: boolean;
};

const schema = configSchema as unknown as {
  description: string;
  required: string[];
  'x-order': string[];
  properties: Record<string, JsonProp>;
  definitions: { backbone: { required: string[]; properties: Record<string, JsonProp> } };
};

export const CONFIG_DOC: string = schema.description;

export const FIELDS: FieldSpec[] = schema['x-order'].map((name) => {
  const p = schema.properties[name];
  return {
    name,
    pythonType: p['x-python-type'] ?? p.type ?? 'object',
    required: schema.required.includes(name),
    default: p.default,
    description: p.description ?? '',
    snippet: p['x-snippet'] ?? `${name}=$1`,
    isOp: !!p['x-op'],
    enum: p.enum,
    minimum: p.minimum,
    maximum: p.maximum,
  };
});

export const FIELD_BY_NAME = new Map(FIELDS.map((f) => [f.name, f]));

export const BACKBONE_ARGS: BackboneArgSpec[] = Object.entries(schema.definitions.backbone.properties).map(([name, p]) => ({
  name,
  required: schema.definitions.backbone.required.includes(name),
  default: p.default,
  description: p.description ?? '',
}));

export const BACKBONE_ARG_BY_NAME = new Map(BACKBONE_ARGS.map((a) => [a.name, a]));

export const DEFAULT_OPS = new OpTable();

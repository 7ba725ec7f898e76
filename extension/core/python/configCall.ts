/**
 * What the evaluator knows about the MixVarGENetConfig dataclass, and how a call of it binds its
 * arguments. The class's fields, their order (positional arguments map in this order) and their
 * defaults are read from the schema (schemas/mixvargenet-config.schema.json through core/schema.ts),
 * the single source of field facts. bindConfigArgs maps a call's evaluated arguments to fields and
 * records what Python would reject: duplicate fields, unknown keywords, extra positional arguments.
 */
import type { Range } from '../text';
import { FIELD_BY_NAME, FIELDS } from '../schema';
import type { CallArgs, ConfigArg, ConfigValue, Value } from './values';

export const CONFIG_CLASS = 'MixVarGENetConfig';

/** The dataclass's fields in declaration order (the schema's x-order). */
export const CONFIG_FIELD_ORDER: readonly string[] = FIELDS.map((f) => f.name);

export function isConfigField(name: string): boolean {
  return FIELD_BY_NAME.has(name);
}

/** The value of `cfg.<name>` for a field the call left out: its default, or undefined when it has none. */
export function configFieldDefault(name: string, R: Range): Value | undefined {
  const field = FIELD_BY_NAME.get(name);
  return field && field.default !== undefined ? jsonDefault(field.default, R) : undefined;
}

/** A schema default as a value. JSON has no tuple, and a dataclass default cannot be a list: `[]` is the class's `()`. */
function jsonDefault(json: unknown, R: Range): Value | undefined {
  if (typeof json === 'number') return Number.isInteger(json) ? { k: 'int', v: json, r: R } : { k: 'float', v: json, r: R };
  if (typeof json === 'string') return { k: 'str', v: json, r: R };
  if (typeof json === 'boolean') return { k: 'bool', v: json, r: R };
  if (json === null) return { k: 'none', r: R };
  if (Array.isArray(json)) {
    const items = json.map((j) => jsonDefault(j, R));
    return items.every((i) => i !== undefined) ? { k: 'tuple', items: items as Value[], r: R } : undefined;
  }
  return undefined;
}

/** The arguments of a config call bound to fields, as Python's generated __init__ would bind them. */
export function bindConfigArgs(args: CallArgs): Pick<ConfigValue, 'args' | 'unknownKwargs' | 'extraPositional' | 'duplicates'> {
  const map = new Map<string, ConfigArg>();
  const duplicates: ConfigValue['duplicates'] = [];
  const extraPositional: Range[] = [];
  args.pos.forEach((v, i) => {
    const node = args.posNodes[i];
    const argRange = node ? { start: node.from, end: node.to } : v.r;
    if (i < CONFIG_FIELD_ORDER.length) map.set(CONFIG_FIELD_ORDER[i], { value: v, argRange });
    else extraPositional.push(argRange);
  });
  const unknownKwargs: ConfigValue['unknownKwargs'] = [];
  const seen = new Set<string>();
  for (const item of args.kwOrder) {
    const e = args.kw.get(item.name)!;
    if (seen.has(item.name) || (map.has(item.name) && !seen.has(item.name) && CONFIG_FIELD_ORDER.indexOf(item.name) < args.pos.length)) {
      duplicates.push({ name: item.name, range: item.nameRange });
    }
    seen.add(item.name);
    if (isConfigField(item.name)) map.set(item.name, { value: e.value, nameRange: e.nameRange, argRange: e.argRange });
    else unknownKwargs.push({ name: item.name, nameRange: item.nameRange, argRange: item.argRange });
  }
  return { args: map, unknownKwargs, extraPositional, duplicates };
}

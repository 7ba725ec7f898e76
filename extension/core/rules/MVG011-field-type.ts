import type { Rule, Finding, Fix } from './types';
import type { Value } from '../python/values';
import { isSeq, show, typeName } from '../python/values';
import { configsToCheck, isKnown } from './support/configs';
import { configCutShort } from './support/trust';
import { article } from './support/wording';
import { dedupeFindings } from './support/findings';

const INT_FIELDS = ['in_channels', 'out_channels', 'stride', 'stack_factor', 'extra_downsample_num'] as const;

/** What HAT does with a non-int value of each int field. */
function intFailure(field: (typeof INT_FIELDS)[number], v: Value): string {
  switch (field) {
    case 'in_channels':
    case 'out_channels':
      return `nn.Conv2d needs an int width and raises TypeError when HAT builds the model`;
    case 'stack_factor':
      return `stack_factor × out_channels becomes a conv width, and nn.Conv2d raises TypeError when HAT builds the model`;
    case 'stride':
      return `the head block's convs need an int stride, and PyTorch raises TypeError on the first batch`;
    case 'extra_downsample_num':
      return v.k === 'float' && Number.isInteger(v.v) && v.v >= 0 && v.v <= 3
        ? `it passes "assert downsample_num in [0, 1, 2, 3]", but range(${show(v)}) raises "TypeError: 'float' object cannot be interpreted as an integer" when HAT builds the model`
        : `HAT's "assert downsample_num in [0, 1, 2, 3]" fails (AssertionError) when it builds the model`;
  }
}

/** A literal int written as 32.0 or "32": the int it means. */
function intMeant(v: Value): number | undefined {
  if (!v.literal) return undefined;
  if (v.k === 'float' && Number.isInteger(v.v)) return v.v;
  if (v.k === 'str' && /^-?\d+$/.test(v.v.trim())) return Number(v.v.trim());
  return undefined;
}

/** "in_channels=32.0 is a float" / "stack_ops is None". */
function isWhat(field: string, v: Value): string {
  return v.k === 'none' ? `${field} is None` : `${field}=${show(v)} is ${article(typeName(v))}`;
}

function keyError(item: Value): string {
  if (item.k === 'list' || item.k === 'dict' || item.k === 'config') return `TypeError: unhashable type: '${typeName(item)}'`;
  return `KeyError: ${show(item)}`;
}

const rule: Rule = {
  code: 'MVG011',
  name: 'field-type',
  severity: 'error',
  category: 'crash',
  title: 'A MixVarGENetConfig field of the wrong type',
  doc: `The dataclass checks no types: a wrong one surfaces only when HAT builds or first runs the model.

| field | expected | what a wrong type does |
|---|---|---|
| in_channels, out_channels | int | \`nn.Conv2d(32.0, …)\`: \`TypeError: empty(): argument 'size' must be tuple of ints\` |
| stride | int | \`TypeError: conv2d() received an invalid combination of arguments\` on the first batch |
| stack_factor | int | same as the widths, when there are two or more stack ops (otherwise it is unused) |
| extra_downsample_num | int | \`AssertionError\` (\`assert downsample_num in [0, 1, 2, 3]\`), or for \`1.0\`: \`TypeError: 'float' object cannot be interpreted as an integer\` |
| head_op | str | \`BLOCK_CONFIG[head_op]\`: \`KeyError\` / \`TypeError: unhashable type\` |
| stack_ops | list of str | a bare string is iterated by character: \`KeyError: 'm'\`; \`None\`: \`TypeError: object of type 'NoneType' has no len()\` |
| fusion_strides | list of int | \`None\` or an int: \`TypeError: object of type 'NoneType' has no len()\`; a string entry: \`math.log2\` raises \`TypeError: must be real number, not str\` |

**bool**: Python's \`bool\` is an \`int\` (\`True == 1\`), and HAT runs with it, so \`stride=True\` is not a
type error; the value rules read it as 1 or 0 (\`in_channels=False\` is reported as 0 channels).
A \`float\` fusion stride (\`4.0\`) also runs (\`math.log2\` takes floats) and is not reported.
Values that cannot be known statically are skipped.

**Bad**: \`in_channels=32.0\`, \`stack_ops="mixvarge_f4"\`, \`fusion_strides=None\`.

**Good**: \`in_channels=32\`, \`stack_ops=["mixvarge_f4"]\`, \`fusion_strides=[]\`.

**Fix**: quick fixes write \`32.0\` / \`"32"\` as \`32\`, wrap a bare op string in a list, and replace
\`None\` by \`[]\`.`,
  check(ctx) {
    const out: Finding[] = [];
    const push = (stage: number | undefined, v: Value, message: string, fix?: Fix) =>
      out.push({ code: rule.code, severity: rule.severity, message, range: v.r, stage, fixes: fix ? [fix] : undefined });
    const replace = (v: Value, newText: string, title: string): Fix => ({ title, edits: [{ range: v.r, newText }], preferred: true });

    for (const { cfg, stage } of configsToCheck(ctx, 'evaluation')) {
      // A syntax error in or right after the call may have changed a value's type ("x", "y"] is a
      // half-typed list, not a str): MVG000 reports it, and the types are not trusted.
      if (cfg.broken || configCutShort(ctx, cfg)) continue;
      const get = (f: string) => cfg.args.get(f)?.value;
      const stackOps = get('stack_ops');

      for (const field of INT_FIELDS) {
        const v = get(field);
        if (!isKnown(v) || v.k === 'int' || v.k === 'bool') continue;
        // stack_factor is only read with two or more stack ops.
        if (field === 'stack_factor' && !(isSeq(stackOps) && stackOps.items.length >= 2)) continue;
        const meant = intMeant(v);
        push(
          stage,
          v,
          `${isWhat(field, v)}, not an int: ${intFailure(field, v)}.`,
          meant !== undefined ? replace(v, String(meant), `Write ${field} as the int ${meant}`) : undefined,
        );
      }

      const head = get('head_op');
      if (isKnown(head) && head.k !== 'str') {
        push(stage, head, `${isWhat('head_op', head)}, not an op name (str): HAT looks it up in BLOCK_CONFIG and raises "${keyError(head)}" when it builds the model.`);
      }

      if (isKnown(stackOps)) {
        if (stackOps.k === 'str') {
          if (stackOps.v.length > 0)
            push(
              stage,
              stackOps,
              `stack_ops=${show(stackOps)} is a str, not a list of op names: HAT iterates it character by character and raises "KeyError: '${stackOps.v[0]}'" when it builds the model.`,
              stackOps.literal ? replace(stackOps, `[${ctx.text.slice(stackOps.r.start, stackOps.r.end)}]`, 'Wrap the op in a list') : undefined,
            );
        } else if (isSeq(stackOps)) {
          for (const item of stackOps.items) {
            if (!isKnown(item) || item.k === 'str') continue;
            push(stage, item, `stack_ops holds ${show(item)} (${article(typeName(item))}), not an op name: HAT looks it up in BLOCK_CONFIG and raises "${keyError(item)}" when it builds the model.`);
          }
        } else if (stackOps.k !== 'dict') {
          push(
            stage,
            stackOps,
            `${isWhat('stack_ops', stackOps)}, not a list of op names: HAT calls len(stack_ops) and raises "TypeError: object of type '${typeName(stackOps)}' has no len()" when it builds the model.`,
            stackOps.k === 'none' && stackOps.literal ? replace(stackOps, '[]', 'Replace None by []') : undefined,
          );
        }
      }

      const fs = get('fusion_strides');
      if (isKnown(fs)) {
        if (isSeq(fs)) {
          for (const item of fs.items) {
            if (!isKnown(item) || item.k === 'int' || item.k === 'float' || item.k === 'bool') continue;
            push(stage, item, `fusion_strides holds ${show(item)} (${article(typeName(item))}), not an int stride: HAT computes math.log2 of it and raises "TypeError: must be real number, not ${typeName(item)}" when it builds the model.`);
          }
        } else if (fs.k === 'str') {
          if (fs.v.length > 0)
            push(stage, fs, `fusion_strides=${show(fs)} is a str, not a list of ints: HAT computes math.log2 of each character and raises "TypeError: must be real number, not str" when it builds the model.`);
        } else if (fs.k !== 'dict') {
          const fix =
            fs.k === 'none' && fs.literal
              ? replace(fs, '[]', 'Replace None by []')
              : fs.k === 'int' && fs.literal
                ? replace(fs, `[${ctx.text.slice(fs.r.start, fs.r.end)}]`, 'Wrap the stride in a list')
                : undefined;
          push(
            stage,
            fs,
            `${isWhat('fusion_strides', fs)}, not a list of ints: HAT calls len(fusion_strides) and raises "TypeError: object of type '${typeName(fs)}' has no len()" when it builds the model.`,
            fix,
          );
        }
      }
    }
    return dedupeFindings(out);
  },
};

export default rule;

import type { Rule, Finding } from './types';
import { stageOf } from './support/configs';
import { nearest } from './support/spelling';
import { headlineFirst } from './support/wording';
import { isSeq } from '../python/values';

const rule: Rule = {
  code: 'MVG001',
  name: 'unknown-op',
  severity: 'error',
  category: 'crash',
  title: 'An op name that BLOCK_CONFIG does not have',
  doc: `\`head_op\` and every entry of \`stack_ops\` must be a key of HAT's \`BLOCK_CONFIG\`
(or of your extra ops file). An unknown name fails when the model is built with a bare
\`KeyError: 'mixvarge_f3'\`, deep in a \`build_from_registry\` traceback, once per GPU.

**Fix**: the quick fix replaces the name with the nearest known op. Team-specific ops go into a
JSON file named by the \`mixvargenet.extraOpsFile\` setting (CLI: \`--ops FILE\`).`,
  check(ctx) {
    const out: Finding[] = [];
    const names = ctx.ops.names();
    for (const cfg of ctx.ex.configs) {
      const vals = [];
      const head = cfg.args.get('head_op')?.value;
      if (head) vals.push({ v: head, field: 'head_op' });
      const stack = cfg.args.get('stack_ops')?.value;
      if (stack && isSeq(stack)) for (const i of stack.items) vals.push({ v: i, field: 'stack_ops' });
      for (const { v, field } of vals) {
        if (v.k !== 'str' || ctx.ops.has(v.v)) continue;
        const guess = nearest(v.v, names);
        const stage = stageOf(ctx, cfg);
        out.push({
          code: rule.code,
          severity: rule.severity,
          message: headlineFirst(`Unknown op "${v.v}" in ${field}${guess ? `: did you mean "${guess}"?` : ''}`, `HAT's BLOCK_CONFIG has no such key: building the model raises KeyError: '${v.v}'.`),
          range: v.r,
          stage,
          fixes: guess && v.literal ? [{ title: `Change to "${guess}"`, edits: [{ range: v.r, newText: JSON.stringify(guess) }], preferred: true }] : undefined,
        });
      }
    }
    return out;
  },
};

export default rule;

import type { Rule, Finding } from './types';
import type { OpSpec, OpTable } from '../schema';
import { isSeq, type Value } from '../python/values';
import { configsToCheck } from './support/configs';
import { ownLiteral } from './support/edits';
import { joinAnd } from './support/wording';
import { dedupeFindings } from './support/findings';

/** Same deployed block: kernel, padding, widening, groups and shortcut. */
function sameShape(a: OpSpec, b: OpSpec): boolean {
  return (
    a.conv2_kernel_size === b.conv2_kernel_size &&
    a.padding === b.padding &&
    a.factor === b.factor &&
    (a.conv1_group_base ?? 0) === (b.conv1_group_base ?? 0) &&
    (a.conv2_group_base ?? 0) === (b.conv2_group_base ?? 0) &&
    !!a.merge_branch === !!b.merge_branch
  );
}

/** J5 ops of the same kind (conv2 kernel, conv1/conv2 grouping), closest widening first. */
function j5Alternatives(spec: OpSpec, ops: OpTable): OpSpec[] {
  return ops
    .all()
    .filter(
      (o) =>
        o.j5 === true &&
        o.conv2_kernel_size === spec.conv2_kernel_size &&
        !!o.conv1_group_base === !!spec.conv1_group_base &&
        !!o.conv2_group_base === !!spec.conv2_group_base,
    )
    .sort(
      (a, b) =>
        Math.abs(a.factor - spec.factor) - Math.abs(b.factor - spec.factor) ||
        Number(!!a.merge_branch !== !!spec.merge_branch) - Number(!!b.merge_branch !== !!spec.merge_branch) ||
        a.name.localeCompare(b.name),
    );
}

const rule: Rule = {
  code: 'MVG107',
  name: 'non-j5-op',
  severity: 'warning',
  category: 'silent',
  title: 'An op that the J5 toolkit does not ship, in a config for J5',
  doc: `The HAT release of the J5 OpenExplorer toolkit has eight ops in \`BLOCK_CONFIG\`: \`mixvarge_f2\`,
\`mixvarge_f4\`, \`mixvarge_f2_gb16\`, \`mixvarge_f4_gb16\`, \`mixvarge_k3k3_f2\`, \`mixvarge_k3k3_f2_gb16\`,
\`mixvarge_f2_r\` and \`mixvarge_f2_r_gb16\`. Newer releases add \`mixvarge_f1\`, \`mixvarge_f1_gb16\` and the
re-parameterised \`repmixvarge_*\` ops. A config that targets J5 (\`march = March.BAYES\`, or the J5 target
setting) and uses one of those works with a newer HAT but fails with a bare \`KeyError\` in the J5 docker
image, and the newer ops' deployed graphs were not part of J5's reference tuning.

Only the built-in table knows which ops are J5 ops: your own ops (extra ops file) are checked only if
they say \`"j5": false\`.

**Bad** (J5)

\`\`\`python
MixVarGENetConfig(..., head_op="mixvarge_f1_gb16", ...)
\`\`\`

**Good**

\`\`\`python
MixVarGENetConfig(..., head_op="mixvarge_f2_gb16", ...)
\`\`\`

**Fix**: use a J5 op of the same kind (the message lists them). When a J5 op deploys exactly the same
block (e.g. \`repmixvarge_f2\` → \`mixvarge_f2\`), a quick fix swaps it.`,
  check(ctx) {
    if (ctx.target !== 'J5') return [];
    const out: Finding[] = [];
    for (const { cfg, stage } of configsToCheck(ctx, 'stage')) {
      const vals: { v: Value; field: string }[] = [];
      const head = cfg.args.get('head_op')?.value;
      if (head) vals.push({ v: head, field: 'head_op' });
      const stack = cfg.args.get('stack_ops')?.value;
      if (stack && isSeq(stack)) for (const i of stack.items) vals.push({ v: i, field: 'stack_ops' });
      for (const { v, field } of vals) {
        if (v.k !== 'str') continue;
        const spec = ctx.ops.get(v.v);
        if (!spec || spec.j5 !== false) continue;
        const alts = j5Alternatives(spec, ctx.ops);
        const twin = alts.find((a) => sameShape(a, spec));
        const names = alts.slice(0, 3).map((a) => `"${a.name}"`);
        out.push({
          code: rule.code,
          severity: rule.severity,
          message:
            `"${v.v}" is not a J5 op (${field}${stage !== undefined ? `, stage ${stage}` : ''}). The J5 toolkit's BLOCK_CONFIG has no such key: the J5-era HAT raises KeyError: '${v.v}'.` +
            (names.length ? ` J5 ops of the same kind: ${joinAnd(names)}.` : ''),
          range: v.r,
          stage,
          fixes:
            twin && ownLiteral(ctx, cfg, v)
              ? [{ title: `Change to "${twin.name}" (same deployed block)`, edits: [{ range: v.r, newText: JSON.stringify(twin.name) }] }]
              : undefined,
        });
      }
    }
    return dedupeFindings(out);
  },
};

export default rule;

import type { Rule, Finding } from './types';
import { fieldValue } from './support/configs';
import { groupsOf } from './support/groups';
import { dedupeFindings } from './support/findings';

const rule: Rule = {
  code: 'MVG102',
  name: 'group-base-not-honoured',
  severity: 'warning',
  category: 'silent',
  title: 'A group conv whose groups are not of the op\'s group base (16 channels)',
  doc: `The \`gb16\` ops mean "group conv with 16 channels per group", but HAT computes the group count as
\`int(channels / 16)\` and never checks the result. When the channels are not a multiple of 16 and the
count still divides them, the conv builds with a different group size: \`in_channels=40\` gives
\`int(40/16) = 2\` groups of **20** channels, 24 channels give one group of 24 (a plain conv).
Nothing fails; the network has other weights, other MACs and another BPU mapping than the op promises.

conv1's groups come from its input width (\`cin\`); for ops with a \`conv2_group_base\`
(\`mixvarge_k3k3_f2_gb16\`), conv2's come from its output width (\`cout\`).
When the count does not divide the channels at all, the conv fails to build (a crash rule, not this one).

**Bad**

\`\`\`python
MixVarGENetConfig(in_channels=40, out_channels=96, head_op="mixvarge_f2_gb16", ...)   # 2 groups of 20
\`\`\`

**Good**

\`\`\`python
MixVarGENetConfig(in_channels=48, out_channels=96, head_op="mixvarge_f2_gb16", ...)   # 3 groups of 16
\`\`\`

**Fix**: make the width a multiple of the group base (and keep the channel chain consistent), or use a plain op.`,
  check(ctx) {
    const net = ctx.net;
    if (!net) return [];
    const out: Finding[] = [];
    for (const stage of net.stages) {
      for (const b of stage.blocks) {
        const spec = b.opSpec;
        if (!spec || !b.opRange) continue;
        const where = `stage ${stage.index} ${b.role === 'head' ? 'head block' : 'stack block'}`;
        const checks: { conv: string; c: number; base: number; cin: number; cout: number; field: string }[] = [];
        if (spec.conv1_group_base) checks.push({ conv: 'conv1', c: b.cin, base: spec.conv1_group_base, cin: b.cin, cout: b.mid, field: b.role === 'head' ? 'in_channels' : 'out_channels' });
        if (spec.conv2_group_base) checks.push({ conv: 'conv2', c: b.cout, base: spec.conv2_group_base, cin: b.mid, cout: b.cout, field: 'out_channels' });
        for (const ch of checks) {
          const { groups, valid } = groupsOf(ch.c, ch.base, ch.cin, ch.cout);
          if (!valid) continue;
          const size = ch.c / groups;
          if (size === ch.base) continue;
          const widthV = fieldValue(stage.config, ch.field);
          out.push({
            code: rule.code,
            severity: rule.severity,
            message:
              `Groups of ${size} channels, not ${ch.base} (${where}, ${b.op}). ${ch.conv} has ${ch.c} ${ch.conv === 'conv1' ? 'input' : 'output'} channels, so int(${ch.c}/${ch.base}) = ` +
              `${groups} ${groups === 1 ? 'group' : 'groups'} of ${size} channels` +
              `${groups === 1 ? ' (a plain conv)' : ''}: it builds and trains, but not as the op intends.`,
            range: b.opRange,
            stage: stage.index,
            related: widthV && widthV.k === 'int' ? [{ range: widthV.r, message: `${ch.field}=${widthV.v}` }] : undefined,
          });
        }
      }
    }
    return dedupeFindings(out);
  },
};

export default rule;

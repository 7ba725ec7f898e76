import type { Rule, Finding } from './types';
import type { Block, Stage } from '../model';
import type { Value } from '../python/values';
import { fieldValue } from './support/configs';
import { groupsOf } from './support/groups';
import { j5Guidance } from './support/guidance';
import { dedupeFindings } from './support/findings';

/** A grouped conv of the block reads or writes `c` channels. */
function groupConvUses(b: Block, c: number): boolean {
  const s = b.opSpec;
  if (!s) return false;
  return (!!s.conv1_group_base && (b.cin === c || b.mid === c)) || (!!s.conv2_group_base && (b.mid === c || b.cout === c));
}

/** A grouped conv of the block derives its groups from `c` and does not get groups of its base: MVG102 / a crash rule say so already. */
function groupRuleCovers(b: Block, c: number): boolean {
  const s = b.opSpec;
  if (!s) return false;
  if (s.conv1_group_base && b.cin === c) {
    const g = groupsOf(b.cin, s.conv1_group_base, b.cin, b.mid);
    if (!g.valid || b.cin / g.groups !== s.conv1_group_base) return true;
  }
  if (s.conv2_group_base && b.cout === c) {
    const g = groupsOf(b.cout, s.conv2_group_base, b.mid, b.cout);
    if (!g.valid || b.cout / g.groups !== s.conv2_group_base) return true;
  }
  return false;
}

const rule: Rule = {
  code: 'MVG201',
  name: 'channel-multiple',
  severity: 'hint',
  category: 'guidance',
  title: 'A channel count that is not a multiple of 8 (16 where group convs use it)',
  doc: `J5 design note: the BPU computes channels in fixed-size blocks, so channel counts that are multiples
of 8 — of 16 where group convs (\`gb16\` ops) use them — avoid padding. Any other width is padded up
to the next multiple on the chip: the padded channels cost compute and memory traffic and buy
nothing.

Checked: \`in_channels\` of stage 0 (the stem's width) and every stage's \`out_channels\`. A width
needs 16 when a grouped conv of the stage (or of the next stage's head) reads or writes it, else 8.
Widths whose group convs already get a wrong group size are left to MVG102 and the group crash rule.

**Bad**

\`\`\`python
MixVarGENetConfig(in_channels=64, out_channels=100, head_op="mixvarge_f2_gb16", ...)
\`\`\`

**Good**

\`\`\`python
MixVarGENetConfig(in_channels=64, out_channels=96, head_op="mixvarge_f2_gb16", ...)
\`\`\`

**Fix**: round the width to a multiple of 8 (16 for group convs), keeping the channel chain
(the next stage's \`in_channels\`) consistent. J5 hints can be turned off in the extension's settings
(CLI: \`--no-hints\`).`,
  check(ctx) {
    const net = ctx.net;
    if (!net || !j5Guidance(ctx)) return [];
    const out: Finding[] = [];
    const check = (stage: Stage, field: 'in_channels' | 'out_channels', v: Value | undefined, users: Block[]) => {
      if (!v || v.k !== 'int' || v.v <= 0) return;
      const c = v.v;
      const group = users.some((b) => groupConvUses(b, c));
      const m = group ? 16 : 8;
      if (c % m === 0) return;
      if (c % 8 === 0 && users.some((b) => groupRuleCovers(b, c))) return;
      const padded = Math.ceil(c / m) * m;
      out.push({
        code: rule.code,
        severity: rule.severity,
        message:
          `${field}=${c} is not a multiple of ${m} (stage ${stage.index}). ${group ? 'A group conv uses this width, and the' : 'The'} BPU pads it to ${padded} ` +
          `channels, so ${padded - c} of every ${padded} are computed and moved for nothing.`,
        range: v.r,
        stage: stage.index,
      });
    };
    net.stages.forEach((stage, i) => {
      const next = net.stages[i + 1];
      if (i === 0) check(stage, 'in_channels', fieldValue(stage.config, 'in_channels'), stage.blocks.filter((b) => b.role === 'head'));
      const users = [...stage.blocks, ...(next?.blocks[0]?.role === 'head' ? [next.blocks[0]] : [])];
      check(stage, 'out_channels', fieldValue(stage.config, 'out_channels'), users);
    });
    return dedupeFindings(out);
  },
};

export default rule;

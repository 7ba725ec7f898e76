import type { Rule, Finding } from './types';
import { groupsOf } from './support/groups';
import { j5Guidance } from './support/guidance';
import { dedupeFindings } from './support/findings';

/** Below this input width a group conv is not worth it on J5. */
const GROUP_MIN_CIN = 64;
/** From this input width a plain 3x3 conv moves too many weights on J5. */
const PLAIN_MAX_CIN = 256;

const rule: Rule = {
  code: 'MVG202',
  name: 'conv-kind-for-width',
  severity: 'hint',
  category: 'guidance',
  title: 'A group op at a small width, or a plain op at a large width',
  doc: `J5 design note for MixVarGENet: **plain convs at small channel counts, group convs at large ones**.
At small widths a plain 3x3 conv is cheap and uses the BPU's compute well, while a group conv with
16-channel groups leaves it idle; at large widths a plain 3x3 conv's weights and activations dominate
the memory traffic (J5 runs this network bound by bandwidth, not compute), which group convs cut.
The reference network follows it: plain \`mixvarge_f2\`/\`mixvarge_f4\` up to 64 channels, \`gb16\` ops from
64 channels on.

Thresholds, on the block's input width (conv1's \`cin\`):

| op | hint when |
|---|---|
| group op (\`conv1_group_base\`, e.g. \`mixvarge_f2_gb16\`) | cin < ${GROUP_MIN_CIN} |
| plain op (e.g. \`mixvarge_f2\`, \`mixvarge_k3k3_f2\`) | cin ≥ ${PLAIN_MAX_CIN} |

Group ops whose group count is already wrong are left to MVG102 and the group crash rule.

**Bad**

\`\`\`python
MixVarGENetConfig(in_channels=32, out_channels=32, head_op="mixvarge_f2_gb16", ...)
MixVarGENetConfig(in_channels=256, out_channels=320, head_op="mixvarge_f2", ...)
\`\`\`

**Good**

\`\`\`python
MixVarGENetConfig(in_channels=32, out_channels=32, head_op="mixvarge_f4", ...)
MixVarGENetConfig(in_channels=256, out_channels=320, head_op="mixvarge_f2_gb16", ...)
\`\`\`

**Fix**: a design choice, so no quick fix: measure both with \`compile_perf\` when in doubt.`,
  check(ctx) {
    const net = ctx.net;
    if (!net || !j5Guidance(ctx)) return [];
    const out: Finding[] = [];
    for (const stage of net.stages) {
      for (const b of stage.blocks) {
        const spec = b.opSpec;
        if (!spec || !b.opRange) continue;
        const where = `stage ${stage.index} ${b.role === 'head' ? 'head block' : 'stack block'}`;
        if (spec.conv1_group_base) {
          const g = groupsOf(b.cin, spec.conv1_group_base, b.cin, b.mid);
          if (!g.valid || b.cin / g.groups !== spec.conv1_group_base || b.cin >= GROUP_MIN_CIN) continue;
          out.push({
            code: rule.code,
            severity: rule.severity,
            message:
              `Group conv at only ${b.cin} channels (${where}, ${b.op}). It splits ${b.cin} input channels into ${g.groups} ${g.groups === 1 ? 'group' : 'groups'} of ${spec.conv1_group_base}: ` +
              `J5's design notes use plain convs below ${GROUP_MIN_CIN} channels, where they are cheap and keep the BPU busy.`,
            range: b.opRange,
            stage: stage.index,
          });
        } else if (b.cin >= PLAIN_MAX_CIN) {
          out.push({
            code: rule.code,
            severity: rule.severity,
            message:
              `Plain 3x3 conv at ${b.cin} channels (${where}, ${b.op}). J5's design notes use group convs from ${PLAIN_MAX_CIN} channels on, ` +
              `where a plain conv's weights and traffic dominate (J5 runs this network bound by bandwidth).`,
            range: b.opRange,
            stage: stage.index,
          });
        }
      }
    }
    return dedupeFindings(out);
  },
};

export default rule;

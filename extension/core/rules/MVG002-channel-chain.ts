import type { Rule, Finding } from './types';
import { fieldValue } from './support/configs';

const rule: Rule = {
  code: 'MVG002',
  name: 'channel-chain',
  severity: 'error',
  category: 'crash',
  title: "A stage's in_channels differs from the previous stage's out_channels",
  doc: `HAT builds each stage from its own \`in_channels\`, but feeds it the previous stage's output.
When the two differ, the first conv of the stage fails on its first batch:
\`RuntimeError: Given groups=1, weight of size [128, 48, 3, 3], expected input[…, 32, …] to have 48 channels\`.

**Fix**: the quick fix sets \`in_channels\` to the previous stage's \`out_channels\`.`,
  check(ctx) {
    const out: Finding[] = [];
    const stages = ctx.stageConfigs;
    for (let i = 1; i < stages.length; i++) {
      const prev = stages[i - 1];
      const cur = stages[i];
      const po = fieldValue(prev, 'out_channels');
      const ci = fieldValue(cur, 'in_channels');
      if (!prev || !cur || po?.k !== 'int' || ci?.k !== 'int' || po.v === ci.v) continue;
      out.push({
        code: rule.code,
        severity: rule.severity,
        message: `in_channels=${ci.v} but the previous stage (stage ${i - 1}) outputs ${po.v} channels: the first conv of stage ${i} fails on the first batch.`,
        range: ci.r,
        stage: i,
        related: [{ range: po.r, message: `stage ${i - 1} out_channels=${po.v}` }],
        fixes: ci.literal ? [{ title: `Set in_channels to ${po.v}`, edits: [{ range: ci.r, newText: String(po.v) }], preferred: true }] : undefined,
      });
    }
    return out;
  },
};

export default rule;

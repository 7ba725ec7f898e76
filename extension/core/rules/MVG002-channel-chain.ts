import type { Rule, Finding, Fix } from './types';
import { fieldValue } from './support/configs';
import { ownLiteral } from './support/edits';

const rule: Rule = {
  code: 'MVG002',
  name: 'channel-chain',
  severity: 'error',
  category: 'crash',
  title: "A stage's in_channels differs from the previous stage's out_channels",
  doc: `HAT builds each stage from its own \`in_channels\`, but feeds it the previous stage's output.
When the two differ, the first conv of the stage fails on its first batch:
\`RuntimeError: Given groups=1, weight of size [128, 48, 3, 3], expected input[…, 32, …] to have 48 channels\`.

**Fix**: the quick fixes set \`in_channels\` to the previous stage's \`out_channels\`, or that
\`out_channels\` to this \`in_channels\`. The one that leaves no new error comes first (e.g. not a
width that a \`gb16\` conv of either stage cannot split into groups: MVG003).`,
  check(ctx) {
    const out: Finding[] = [];
    const stages = ctx.stageConfigs;
    for (let i = 1; i < stages.length; i++) {
      const prev = stages[i - 1];
      const cur = stages[i];
      const po = fieldValue(prev, 'out_channels');
      const ci = fieldValue(cur, 'in_channels');
      if (!prev || !cur || po?.k !== 'int' || ci?.k !== 'int' || po.v === ci.v) continue;
      const fixes: Fix[] = [];
      if (ci.literal && ownLiteral(ctx, cur, ci)) fixes.push({ title: `Set in_channels to ${po.v}`, edits: [{ range: ci.r, newText: String(po.v) }], preferred: true });
      if (po.literal && ownLiteral(ctx, prev, po) && ci.v > 0)
        fixes.push({ title: `Set stage ${i - 1} out_channels to ${ci.v}`, edits: [{ range: po.r, newText: String(ci.v) }], preferred: fixes.length === 0 });
      out.push({
        code: rule.code,
        severity: rule.severity,
        message: `Stage ${i} expects ${ci.v} channels, stage ${i - 1} gives ${po.v}. in_channels=${ci.v}, but stage ${i - 1}'s out_channels is ${po.v}: stage ${i}'s first conv raises RuntimeError ("expected input … to have ${ci.v} channels, but got ${po.v} channels instead") on the first batch.`,
        range: ci.r,
        stage: i,
        related: [{ range: po.r, message: `stage ${i - 1} out_channels=${po.v}` }],
        fixes: fixes.length ? fixes : undefined,
      });
    }
    return out;
  },
};

export default rule;

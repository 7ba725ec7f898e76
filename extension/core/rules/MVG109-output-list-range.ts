import type { Rule, Finding, Fix } from './types';
import { isSeq } from '../python/values';

const rule: Rule = {
  code: 'MVG109',
  name: 'output-list-range',
  severity: 'warning',
  category: 'silent',
  title: 'output_list names a stage that does not exist',
  doc: `Without the top (\`include_top=False\`), MixVarGENet returns the outputs of the stages in \`output_list\`
(all stages when it is empty). HAT does not index with it: its forward loop asks
\`if idx in self.output_list\` for each stage index 0..n−1. An entry ≥ the number of stages, or a
negative one (Python-style \`-1\` is *not* resolved to the last stage), matches no stage and is
silently skipped: the backbone returns fewer feature maps than the neck expects, and the error, if
any, appears far away (in the neck's \`zip\` or a shape mismatch).

**Bad** (five stages, 0–4)

\`\`\`python
backbone = dict(type="MixVarGENet", ..., include_top=False, output_list=[2, 3, 4, 5])
\`\`\`

**Good**

\`\`\`python
backbone = dict(type="MixVarGENet", ..., include_top=False, output_list=[1, 2, 3, 4])
\`\`\`

**Fix**: use stage indices 0..n−1. For a negative entry a quick fix offers the stage it means in Python
indexing (\`-1\` → \`n−1\`).`,
  check(ctx) {
    const net = ctx.net;
    const entry = ctx.ex.backbone?.entries.get('output_list');
    if (!net || !entry || ctx.ex.netConfig?.recovered) return [];
    if (net.args.includeTop || net.args.unknownArgs.includes('include_top')) return [];
    const ol = entry.value;
    if (!isSeq(ol)) return [];
    const n = net.stages.length;
    const bad = ol.items.filter((i) => i.k === 'int' && (i.v < 0 || i.v >= n));
    const allBad = ol.items.length > 0 && bad.length === ol.items.length;
    const out: Finding[] = [];
    for (const it of bad) {
      if (it.k !== 'int') continue;
      const idx = it.v;
      const fixes: Fix[] = [];
      if (idx < 0 && n + idx >= 0 && it.literal) fixes.push({ title: `Change to ${n + idx} (stage ${n + idx})`, edits: [{ range: it.r, newText: String(n + idx) }] });
      out.push({
        code: rule.code,
        severity: rule.severity,
        message:
          `output_list entry ${idx} matches no stage: net_config has ${n} ${n === 1 ? 'stage' : 'stages'} (0–${n - 1}) and HAT checks ` +
          `\`idx in output_list\`${idx < 0 ? ', so negative indices are not resolved' : ''}: nothing is returned for it` +
          (allBad ? ', and the backbone returns an empty list.' : '.'),
        range: it.r,
        related: [{ range: ctx.ex.netConfig?.range ?? entry.keyRange, message: `net_config: ${n} ${n === 1 ? 'stage' : 'stages'}` }],
        fixes: fixes.length ? fixes : undefined,
      });
    }
    return out;
  },
};

export default rule;

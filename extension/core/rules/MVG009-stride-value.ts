import type { Rule, Finding, Fix } from './types';
import { configsToCheck, intLike } from './support/configs';
import { dedupeFindings } from './support/findings';

const rule: Rule = {
  code: 'MVG009',
  name: 'stride-value',
  severity: 'error',
  category: 'crash',
  title: 'A stride other than 1 or 2',
  doc: `\`stride\` is the stride of a stage's head block (its conv1 and shortcut), and MixVarGENet is
built on strides 1 and 2 only: the fusion routing names stages by their output stride
(stage k ↔ 2^(k+1)) and HAT's \`get_mixvargenet_stride2channels\` counts only stride-2 stages.

- \`stride <= 0\`: PyTorch refuses it on the first batch (\`RuntimeError: non-positive stride is not supported\`).
- \`stride >= 3\`: outside what MixVarGENet supports: feature-map sizes no longer follow the
  stride bookkeeping, so fusion adds and the head's 7x7 pooling break.

**Bad**: \`stride=0\`, \`stride=4\`.

**Good**: \`stride=1\` for stage 0 (after the stride-2 stem), \`stride=2\` for every later stage;
\`stride=1\` anywhere to keep the resolution.

**Fix**: the quick fixes set the stride to 2 or 1 (the canonical one for that stage first).`,
  check(ctx) {
    const out: Finding[] = [];
    for (const { cfg, stage } of configsToCheck(ctx, 'evaluation')) {
      const v = cfg.args.get('stride')?.value;
      const n = intLike(v);
      if (!v || n === undefined || n === 1 || n === 2) continue;
      const why =
        n <= 0
          ? `PyTorch raises "RuntimeError: non-positive stride is not supported" on the first batch`
          : `MixVarGENet supports only 1 and 2: fusion routing, fusion widths and the head's 7x7 pooling all assume each stage halves the resolution or keeps it`;
      const canonical = stage === 0 ? 1 : 2;
      const fixes: Fix[] | undefined = v.literal
        ? [canonical, 3 - canonical].map((s) => ({
            title: `Set stride to ${s}`,
            edits: [{ range: v.r, newText: String(s) }],
            preferred: s === canonical,
          }))
        : undefined;
      out.push({
        code: rule.code,
        severity: rule.severity,
        message: `stride=${ctx.text.slice(v.r.start, v.r.end)}${v.k === 'bool' ? ` (${n})` : ''} is not 1 or 2${stage !== undefined ? ` (stage ${stage})` : ''}. ${why[0].toUpperCase()}${why.slice(1)}.`,
        range: v.r,
        stage,
        fixes,
      });
    }
    return dedupeFindings(out);
  },
};

export default rule;

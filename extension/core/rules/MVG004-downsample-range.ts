import type { Rule, Finding } from './types';
import { configsToCheck, intLike } from './support/configs';
import { dedupeFindings } from './support/findings';

const rule: Rule = {
  code: 'MVG004',
  name: 'downsample-range',
  severity: 'error',
  category: 'crash',
  title: 'extra_downsample_num outside 0..3',
  doc: `A stage can emit at most three downsamples of its output (2x, 4x, 8x) for later stages'
fusion. HAT's \`MixVarGEBlock\` checks it when the model is built:

\`\`\`
assert downsample_num in [0, 1, 2, 3]
AssertionError
\`\`\`

**Bad**: \`extra_downsample_num=4\` or \`-1\`.

**Good**: \`extra_downsample_num=0\` (no fusion sources) up to \`3\`.

**Fix**: the quick fix clamps the value to 0 or 3. (A value of the wrong type, such as \`1.0\`,
is reported by MVG011.)`,
  check(ctx) {
    const out: Finding[] = [];
    for (const { cfg, stage } of configsToCheck(ctx, 'evaluation')) {
      const v = cfg.args.get('extra_downsample_num')?.value;
      const n = intLike(v);
      if (!v || n === undefined || (n >= 0 && n <= 3)) continue;
      const clamp = n < 0 ? 0 : 3;
      out.push({
        code: rule.code,
        severity: rule.severity,
        message: `extra_downsample_num=${n} is not 0–3${stage !== undefined ? ` (stage ${stage})` : ''}. HAT's "assert downsample_num in [0, 1, 2, 3]" fails (AssertionError) when it builds the model.`,
        range: v.r,
        stage,
        fixes: v.literal ? [{ title: `Set extra_downsample_num to ${clamp}`, edits: [{ range: v.r, newText: String(clamp) }], preferred: true }] : undefined,
      });
    }
    return dedupeFindings(out);
  },
};

export default rule;

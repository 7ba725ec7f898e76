import type { Rule, Finding } from './types';
import { isSeq } from '../python/values';
import { fieldValue } from './support/configs';
import { j5Guidance } from './support/guidance';

/** A fusion source this many stages (or more) before its consumer is "long". */
const LONG_FUSION_STAGES = 3;

const rule: Rule = {
  code: 'MVG203',
  name: 'long-fusion',
  severity: 'hint',
  category: 'guidance',
  title: 'A fusion source three stages back (an 8x downsample)',
  doc: `J5 design note: **keep feature reuse short**. A fused map is produced when its source stage runs and
consumed when the fusing head runs; in between it has to be kept somewhere. A map from the previous
stage or the one before can stay in the BPU's on-chip SRAM; a map from three stages back (an 8x
downsample, \`extra_downsample_num=3\`) outlives the SRAM's working set and is written to DDR and read
back, adding memory traffic on a network that J5 runs bound by bandwidth.

**Bad**

\`\`\`python
# stage 1 emits 2x, 4x and 8x maps; stage 4 fuses the 8x one
MixVarGENetConfig(..., fusion_strides=[4, 8, 16], ...)   # stride 4 = stage 1, three stages back
\`\`\`

**Good**

\`\`\`python
MixVarGENetConfig(..., fusion_strides=[8, 16], ...)      # sources at most two stages back
\`\`\`

**Fix**: fuse from the last two stages (\`extra_downsample_num\` ≤ 2 on the source), and measure with
\`compile_perf\`: the "DDR megabytes per frame" figure shows the difference.`,
  check(ctx) {
    const net = ctx.net;
    if (!net || !j5Guidance(ctx)) return [];
    const out: Finding[] = [];
    for (const stage of net.stages) {
      const head = stage.blocks[0];
      const fs = fieldValue(stage.config, 'fusion_strides');
      if (!head || head.role !== 'head' || !fs || !isSeq(fs)) continue;
      for (const f of head.fusion) {
        const m = f.map;
        const item = fs.items[f.index];
        if (!m || !item || f.crash) continue;
        const back = stage.index - m.fromStage;
        if (back < LONG_FUSION_STAGES) continue;
        out.push({
          code: rule.code,
          severity: rule.severity,
          message:
            `Fusion from ${back} stages back (stage ${stage.index} fuses stage ${m.fromStage}'s ${m.scale}x map). Fusion stride ${f.stride ?? '?'}: ` +
            `on J5 that map stays in DDR instead of SRAM until stage ${stage.index} runs. Keep fusion sources within two stages.`,
          range: item.r,
          stage: stage.index,
        });
      }
    }
    return out;
  },
};

export default rule;

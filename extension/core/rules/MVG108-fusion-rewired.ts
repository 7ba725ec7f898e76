import type { Rule, Finding, Related } from './types';
import { isSeq } from '../python/values';
import { fieldValue } from './support/configs';
import { unsortedFusion } from './support/routing';
import { ownLiteral } from './support/edits';

const rule: Rule = {
  code: 'MVG108',
  name: 'fusion-rewired',
  severity: 'warning',
  category: 'silent',
  title: 'A fusion stride names one stage, but the map that arrives comes from another',
  doc: `HAT uses a \`fusion_strides\` entry for one thing only: the input width of that position's 1x1
fusion conv (\`net_config[int(log2(stride) - 1)][0].out_channels\`). Which map actually arrives at that
position is decided by the routing (\`[x, 8x[i-2], 4x[i-1], 2x[i]]\`), not by the stride. When the
stride names stage A but the map arriving comes from stage B, and both stages happen to have the same
width, nothing fails: the network adds stage B's map where the config says stage A's.

**Bad** (stages 1 and 2 are both 64 wide; stage 3 receives stage 2's 2x map)

\`\`\`python
MixVarGENetConfig(..., fusion_strides=[4], ...)   # names stage 1
\`\`\`

**Good**

\`\`\`python
MixVarGENetConfig(..., fusion_strides=[8], ...)   # names stage 2, whose map arrives
\`\`\`

**Fix**: a quick fix renames the stride after the stage whose map arrives (the network is unchanged,
the config then says what it builds). To fuse the stage you meant, change the stages'
\`extra_downsample_num\` instead. Strides out of ascending order are reported by MVG105 alone.`,
  check(ctx) {
    const net = ctx.net;
    if (!net) return [];
    const out: Finding[] = [];
    for (const stage of net.stages) {
      const head = stage.blocks[0];
      const cfg = stage.config;
      if (!head || head.role !== 'head' || !cfg || unsortedFusion(cfg)) continue;
      const fs = fieldValue(cfg, 'fusion_strides');
      if (!fs || !isSeq(fs)) continue;
      for (const f of head.fusion) {
        if (!f.problem || f.crash || !f.map || f.namedStage === null || f.stride === null) continue;
        const item = fs.items[f.index];
        if (!item) continue;
        const m = f.map;
        const want = 2 ** (m.fromStage + 1);
        const related: Related[] = [];
        const named = net.stages[f.namedStage]?.config;
        const src = net.stages[m.fromStage]?.config;
        if (named) related.push({ range: named.callee, message: `stage ${f.namedStage}: named by fusion stride ${f.stride}` });
        if (src) related.push({ range: src.callee, message: `stage ${m.fromStage}: its ${m.scale}x downsample arrives here` });
        out.push({
          code: rule.code,
          severity: rule.severity,
          message:
            `Fusion stride ${f.stride} gets stage ${m.fromStage}'s map, not stage ${f.namedStage}'s (stage ${stage.index}). Stride ${f.stride} names stage ${f.namedStage}, but the map arriving in position ${f.index} is stage ${m.fromStage}'s ` +
            `${m.scale}x downsample: both stages are ${m.channels} channels wide, so it runs, wired differently from what the config says.`,
          range: item.r,
          stage: stage.index,
          related,
          fixes: ownLiteral(ctx, cfg, item)
            ? [{ title: `Change to ${want} (stage ${m.fromStage}, whose map arrives)`, edits: [{ range: item.r, newText: String(want) }] }]
            : undefined,
        });
      }
    }
    return out;
  },
};

export default rule;

import type { Rule, Finding, Fix, Related } from './types';
import type { FusionMap } from '../model';
import { isSeq, show } from '../python/values';
import { fieldValue } from './support/configs';
import { routingKnownInto } from './support/routing';
import { isLiteralSeq } from './support/edits';
import { joinAnd, pyIntList } from './support/wording';
import { plural } from '../format';

/** "stage 1's 4x downsample (32 channels)" */
function describeMap(m: FusionMap): string {
  return `stage ${m.fromStage}'s ${m.scale}x downsample (${m.channels} channels)`;
}

const rule: Rule = {
  code: 'MVG005',
  name: 'fusion-count',
  severity: 'error',
  category: 'crash',
  title: 'fusion_strides names a different number of maps than the head receives',
  doc: `Fusion is positional. After a stage with \`extra_downsample_num > 0\`, the next stage's head
receives \`[x, 8x[i-2], 4x[i-1], 2x[i]]\` (each only if it exists; MIXVARGENET.md §3); after a
stage without downsamples it receives a plain tensor and no maps at all. A head with
\`fusion_strides\` builds one fusion conv per entry and checks on the first batch:

\`\`\`
assert len(fusion_inputs) == len(self.fusion_layers), (len(fusion_inputs), self.fusion_layers)
AssertionError: (1, ExtSequential(...))
\`\`\`

**Bad**: stage 2 has \`fusion_strides=[4, 8]\` but only stage 1 emits downsamples (one map arrives);
or a stage fuses while the stage before it has \`extra_downsample_num=0\` (nothing arrives).

**Good**: \`fusion_strides\` lists, in order, one stride per arriving map: the output stride of its
source stage (stage k → 2^(k+1)).

**Fix**: the quick fix sets \`fusion_strides\` to the strides of the maps that do arrive, or to
\`[]\` when none does. (Alternatively, change the earlier stages' \`extra_downsample_num\`.)`,
  check(ctx) {
    const out: Finding[] = [];
    const net = ctx.net;
    if (!net) return out;
    net.stages.forEach((stage, k) => {
      const cfg = ctx.stageConfigs[k];
      const fs = fieldValue(cfg, 'fusion_strides');
      if (!cfg || !fs || !isSeq(fs) || fs.items.length === 0) return;
      if (!routingKnownInto(ctx, k)) return;
      const maps = stage.received ?? [];
      const n = fs.items.length;
      if (maps.length === n) return;

      let arrives: string;
      const related: Related[] = [];
      if (stage.received === null) {
        if (k === 0) arrives = 'the stem passes it a plain tensor, with no fusion maps';
        else {
          const prevEdn = fieldValue(ctx.stageConfigs[k - 1], 'extra_downsample_num');
          arrives = `stage ${k - 1} emits no downsamples (extra_downsample_num=${prevEdn ? ctx.text.slice(prevEdn.r.start, prevEdn.r.end) : 0}), so a plain tensor arrives, with no fusion maps`;
          related.push({ range: prevEdn?.r ?? ctx.stageConfigs[k - 1]?.callee ?? net.stages[k - 1].range, message: `stage ${k - 1} emits no downsamples` });
        }
      } else if (maps.length === 0) {
        const first = net.stages.findIndex((st) => st.emits.length > 0);
        arrives = `a list holding x alone arrives: maps are routed by position counted from the first emitting stage (stage ${first}), and none of the 2x/4x/8x lists has an entry at stage ${k - 1}'s position ${k - 1 - first}`;
      } else {
        arrives = `${plural(maps.length, 'map')} ${maps.length === 1 ? 'arrives' : 'arrive'}: ${joinAnd(maps.map(describeMap))}`;
        for (const m of maps) {
          const e = fieldValue(ctx.stageConfigs[m.fromStage], 'extra_downsample_num');
          if (e && !related.some((r) => r.range.start === e.r.start)) related.push({ range: e.r, message: `stage ${m.fromStage} emits its downsamples here` });
        }
      }
      const fixes: Fix[] = [];
      if (isLiteralSeq(ctx.text, fs)) {
        // HAT reads the fusion conv's width from net_config[int(log2(s) - 1)]: stage k is named by 2^(k+1).
        const strides = maps.map((m) => 2 ** (m.fromStage + 1));
        fixes.push({
          title: strides.length ? `Set fusion_strides to ${pyIntList(strides)} (the maps that arrive)` : 'Remove the fusion inputs (fusion_strides=[])',
          edits: [{ range: fs.r, newText: pyIntList(strides) }],
          preferred: true,
        });
      }
      out.push({
        code: rule.code,
        severity: rule.severity,
        message:
          `fusion_strides lists ${plural(n, 'map')}, ${maps.length === 0 ? 'none arrives' : `${maps.length} ${maps.length === 1 ? 'arrives' : 'arrive'}`} (stage ${k}). ` +
          `fusion_strides=${show(fs)} builds ${plural(n, 'fusion conv')}, but stage ${k}'s head receives ${plural(maps.length, 'map')}: ${arrives}. HAT's "assert len(fusion_inputs) == len(self.fusion_layers)" fails (AssertionError) on the first batch.`,
        range: fs.r,
        stage: k,
        related: related.length ? related : undefined,
        fixes: fixes.length ? fixes : undefined,
      });
    });
    return out;
  },
};

export default rule;

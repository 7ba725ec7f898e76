import type { Rule, Finding, Fix, Related } from './types';
import { isSeq } from '../python/values';
import { fieldValue } from './support/configs';
import { netConfigIntact } from './support/trust';
import { routingKnownInto } from './support/routing';
import { isLiteralSeq } from './support/edits';
import { pyIntList } from './support/wording';

const rule: Rule = {
  code: 'MVG006',
  name: 'fusion-source',
  severity: 'error',
  category: 'crash',
  title: 'A fusion stride whose fusion conv cannot take the map that arrives',
  doc: `Each \`fusion_strides\` entry \`s\` builds a 1x1 fusion conv whose input width HAT reads from
\`net_config[int(math.log2(s) - 1)][0].out_channels\` — the stage whose output has stride \`s\` in
the canonical layout. The maps themselves arrive by position (see MVG005). This rule reports an
entry that cannot work:

- \`s <= 0\`: \`math.log2(s)\` raises \`ValueError: math domain error\` when the model is built;
- \`s\` names a stage that does not exist: \`IndexError: list index out of range\` when the model is built;
- the named stage's width differs from the channels of the map that arrives in that position:
  \`RuntimeError: Given groups=1, weight of size [96, 64, 1, 1], expected input[1, 32, 14, 14] to have 64 channels, but got 32 channels instead\`
  on the first batch (typically \`fusion_strides\` written out of order);
- the arriving map's size differs from the head's output, so the add fails:
  \`RuntimeError: The size of tensor a (7) must match the size of tensor b (14) at non-singleton dimension 3\`.

**Bad**: a stage receiving stage 1's 4x map and then stage 2's 2x map, with \`fusion_strides=[8, 4]\`.

**Good**: \`fusion_strides=[4, 8]\`: stride 4 names stage 1, stride 8 names stage 2, in the order they arrive.

**Fix**: when the map that arrives is known, the quick fix sets the entry to the stride that names
its source stage (stage k → 2^(k+1)).`,
  check(ctx) {
    const out: Finding[] = [];
    const net = ctx.net;
    // The stage count and indices must be trusted (a syntax error can merge or split stages).
    if (!net || !netConfigIntact(ctx)) return out;
    net.stages.forEach((stage, k) => {
      const head = stage.blocks.find((b) => b.role === 'head');
      const cfg = ctx.stageConfigs[k];
      const fs = fieldValue(cfg, 'fusion_strides');
      if (!head || !cfg || !fs || !isSeq(fs)) return;
      const routed = routingKnownInto(ctx, k);
      for (const f of head.fusion) {
        if (!f.crash || !f.problem) continue;
        const item = fs.items[f.index];
        if (!item) continue;
        // Build-time failures (stride <= 0, stage out of range) do not depend on the routing;
        // the channel and size checks do.
        const buildTime = f.namedStage === null;
        if (!buildTime && !routed) continue;
        let message: string;
        if (f.stride !== null && f.stride <= 0) {
          message = `fusion stride ${f.stride}: HAT computes math.log2(${f.stride}) for the fusion conv's width and raises "ValueError: math domain error" when it builds the model.`;
        } else if (buildTime) {
          message = `fusion stride ${f.stride} names stage int(log2(${f.stride}) - 1) = ${Math.trunc(Math.log2(f.stride ?? 1) - 1)}, but net_config has ${net.stages.length} stages: reading its out_channels raises "IndexError: list index out of range" when HAT builds the model.`;
        } else if (f.map && f.expectedChannels !== null && f.expectedChannels !== f.map.channels) {
          message = `fusion stride ${f.stride} names stage ${f.namedStage} (out_channels=${f.expectedChannels}), so its fusion conv takes ${f.expectedChannels} channels, but the map arriving in position ${f.index} is stage ${f.map.fromStage}'s ${f.map.scale}x downsample with ${f.map.channels} channels: the conv raises a RuntimeError ("expected input … to have ${f.expectedChannels} channels, but got ${f.map.channels} channels instead") on the first batch.`;
        } else if (f.map && f.map.shape && head.outShape && [...f.map.shape, ...head.outShape].every((d) => Number.isFinite(d) && d > 0)) {
          message = `fusion stride ${f.stride}: ${f.problem} (RuntimeError "The size of tensor a must match the size of tensor b" on the first batch).`;
        } else continue;

        const related: Related[] = [];
        if (f.namedStage !== null && !buildTime) {
          const o = fieldValue(ctx.stageConfigs[f.namedStage], 'out_channels');
          if (o) related.push({ range: o.r, message: `stage ${f.namedStage} out_channels=${f.expectedChannels} (the width stride ${f.stride} names)` });
        }
        if (f.map) {
          const e = fieldValue(ctx.stageConfigs[f.map.fromStage], 'extra_downsample_num');
          if (e) related.push({ range: e.r, message: `stage ${f.map.fromStage} emits the map that arrives in position ${f.index}` });
        }

        const fixes: Fix[] = [];
        const sizeProblem = f.map && !buildTime && f.expectedChannels === f.map.channels;
        if (f.map && !sizeProblem && routed) {
          const s = 2 ** (f.map.fromStage + 1);
          const all = head.fusion.every((x) => x.map) ? head.fusion.map((x) => 2 ** (x.map!.fromStage + 1)) : undefined;
          // Rewrite the whole list when it is literal (one edit that fixes every entry, as the
          // other fusion rules do); else just this entry.
          if (all && isLiteralSeq(ctx.text, fs))
            fixes.push({ title: `Set fusion_strides to ${pyIntList(all)} (the maps in the order they arrive)`, edits: [{ range: fs.r, newText: pyIntList(all) }], preferred: true });
          else if (item.literal && s !== f.stride)
            fixes.push({ title: `Set to ${s} (stage ${f.map.fromStage}'s map arrives here)`, edits: [{ range: item.r, newText: String(s) }], preferred: true });
        }
        out.push({
          code: rule.code,
          severity: rule.severity,
          message,
          range: item.r,
          stage: k,
          related: related.length ? related : undefined,
          fixes: fixes.length ? fixes : undefined,
        });
      }
    });
    return out;
  },
};

export default rule;

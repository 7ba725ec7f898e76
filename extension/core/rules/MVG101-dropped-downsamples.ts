import type { Rule, Finding, Fix } from './types';
import { fieldValue } from './support/configs';
import { insertBeforeClose, isSeqDisplay, ownCall, ownLiteral } from './support/edits';
import { mapLabel, noFusionStrides, type RouteMap, routingUnchangedIf, simulateRouting, stageEdns } from './support/routing';
import { joinAnd } from './support/wording';
import { plural } from '../format';

const rule: Rule = {
  code: 'MVG101',
  name: 'dropped-downsamples',
  severity: 'warning',
  category: 'silent',
  title: "A stage emits downsampled maps, but the next stage's head does not fuse them",
  doc: `With \`extra_downsample_num > 0\` a stage chains that many 3x3/s2 conv+BN layers on its output and
hands HAT's fusion routing a list: the next stage's head block receives \`[x, 8x[i-2], 4x[i-1], 2x[i]]\`
(see MIXVARGENET.md §3). When that head has no \`fusion_strides\` (so no fusion layers), HAT does not
complain: \`BasicMixVarGEBlock.forward\` takes \`x[1:]\` as fusion inputs, never uses them, and because
the list was not empty it **skips the block's final ReLU** (\`if len(fusion_inputs) == 0: out = relu(out)\`).
The network trains, with the downsample convs computed and thrown away and one ReLU fewer.

**Bad**

\`\`\`python
[MixVarGENetConfig(in_channels=64, out_channels=96, ..., fusion_strides=[], extra_downsample_num=1)],
[MixVarGENetConfig(in_channels=96, out_channels=160, ..., fusion_strides=[], extra_downsample_num=0)],
\`\`\`

**Good**: either emit nothing, or fuse what arrives.

\`\`\`python
[MixVarGENetConfig(in_channels=64, out_channels=96, ..., fusion_strides=[], extra_downsample_num=0)],
# or
[MixVarGENetConfig(in_channels=96, out_channels=160, ..., fusion_strides=[16], extra_downsample_num=0)],
\`\`\`

**Fix**: the preferred quick fix sets \`extra_downsample_num=0\` (offered when that does not change
what later stages receive). A second quick fix adds \`fusion_strides\` to the next stage, naming the
strides of the maps that arrive, when every map arrives at the head's resolution.
The last stage is not checked here: emitting downsamples there crashes the classifier head
(a crash rule), or, without the top, is dead weight (MVG106).`,
  check(ctx) {
    const net = ctx.net;
    if (!net) return [];
    const out: Finding[] = [];
    const edns = stageEdns(ctx);
    const routed = simulateRouting(edns);
    for (let s = 1; s < net.stages.length; s++) {
      const maps = routed[s];
      if (!maps || maps.length === 0) continue;
      const stage = net.stages[s];
      const cfg = stage.config;
      if (!noFusionStrides(cfg) || !cfg) continue;
      const k = s - 1;
      const emitter = net.stages[k];
      const ecfg = emitter.config;
      const ednV = fieldValue(ecfg, 'extra_downsample_num');
      if (!ecfg || !ednV) continue;
      const edn = edns[k] as number;

      // Is any of the emitting stage's maps used by a fusing head anywhere? If not, the value is dead.
      let consumed = false;
      for (let t = 1; t < net.stages.length; t++) {
        const r = routed[t];
        if (!r || noFusionStrides(net.stages[t].config)) continue;
        if (r.some((m) => m.fromStage === k)) consumed = true;
      }

      const labels = maps.map(mapLabel);
      const fsV = fieldValue(cfg, 'fusion_strides');
      const message =
        `Stage ${s} drops ${joinAnd(labels)} ${maps.length === 1 ? 'map' : 'maps'} (no fusion_strides). ` +
        `extra_downsample_num=${edn}: stage ${k} emits ${plural(edn, 'downsampled map')}, and ${joinAnd(labels)} ${maps.length === 1 ? 'map arrives' : 'maps arrive'} ` +
        `at stage ${s}'s head, which fuses nothing: ${maps.length === 1 ? 'it is' : 'they are'} dropped ` +
        `and the head block's final ReLU is skipped (HAT only applies it when no fusion inputs arrive).`;

      const fixes: Fix[] = [];
      const withTop = net.args.includeTop || net.args.unknownArgs.includes('include_top');
      if (ownLiteral(ctx, ecfg, ednV) && routingUnchangedIf(edns, k, 0, s + 1, withTop)) {
        fixes.push({ title: `Set extra_downsample_num=0 (stage ${k})`, edits: [{ range: ednV.r, newText: '0' }], preferred: true });
      }
      // Add fusion_strides naming the stages whose maps arrive, when each one fits the head's output.
      const head = stage.blocks[0];
      const hw = head?.role === 'head' ? head.outShape : null;
      const emitted = (m: RouteMap) => net.stages[m.fromStage].emits.find((e) => e.scale === m.scale);
      const fits =
        !!hw &&
        maps.every((m) => {
          const sh = emitted(m)?.shape;
          return !!sh && sh[1] === hw[1] && sh[2] === hw[2];
        });
      if (fits) {
        const strides = maps.map((m) => 2 ** (m.fromStage + 1));
        const snippet = `[${strides.join(', ')}]`;
        const title = `Fuse them: fusion_strides=${snippet} (stage ${s})`;
        if (!fsV && ownCall(ctx, cfg)) fixes.push({ title, edits: [insertBeforeClose(ctx.text, cfg.argList, `fusion_strides=${snippet}`)] });
        else if (fsV && isSeqDisplay(ctx.text, fsV) && ownLiteral(ctx, cfg, { ...fsV, literal: true }))
          fixes.push({ title, edits: [{ range: fsV.r, newText: snippet }] });
      }

      out.push({
        code: rule.code,
        severity: rule.severity,
        message,
        range: ednV.r,
        stage: k,
        unnecessary: !consumed,
        related: [
          {
            range: fsV ? fsV.r : cfg.callee,
            message: fsV ? `stage ${s}: fusion_strides is empty` : `stage ${s}: no fusion_strides (defaults to ())`,
          },
        ],
        fixes: fixes.length ? fixes : undefined,
      });
    }
    return out;
  },
};

export default rule;

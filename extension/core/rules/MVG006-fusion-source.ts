import type { Rule, Finding, Fix, Related } from './types';
import type { FusionInput } from '../model';
import { isSeq, show, type Value } from '../python/values';
import { fieldValue } from './support/configs';
import { netConfigIntact } from './support/trust';
import { routingKnownInto } from './support/routing';
import { isLiteralSeq } from './support/edits';
import { joinAnd, pyIntList } from './support/wording';

/** One fusion_strides entry that cannot work, with what to say about it. */
interface Entry {
  f: FusionInput;
  item: Value;
  /** A fusion conv whose width differs from the map's channels (the order mistake), or another failure. */
  kind: 'channels' | 'other';
  message: string;
  related: Related[];
  fixes: Fix[];
}

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

Entries written in the wrong order are one mistake: reported once, on the list, with each entry
as a related location.

**Fix**: when the maps that arrive are known, the quick fix sets \`fusion_strides\` to the strides
that name their source stages (stage k → 2^(k+1)), in the order they arrive (or, when the list
cannot be rewritten as a whole, the one entry).`,
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
      // The strides of the maps in the order they arrive, when every map is known: one list that cures every entry.
      const arriving = routed && head.fusion.every((x) => x.map) ? head.fusion.map((x) => 2 ** (x.map!.fromStage + 1)) : undefined;
      const listFix: Fix | undefined =
        arriving && isLiteralSeq(ctx.text, fs)
          ? { title: `Set fusion_strides to ${pyIntList(arriving)} (the maps in the order they arrive)`, edits: [{ range: fs.r, newText: pyIntList(arriving) }], preferred: true }
          : undefined;
      const entries: Entry[] = [];
      for (const f of head.fusion) {
        if (!f.crash || !f.problem) continue;
        const item = fs.items[f.index];
        if (!item) continue;
        // Build-time failures (stride <= 0, stage out of range) do not depend on the routing;
        // the channel and size checks do.
        const buildTime = f.namedStage === null;
        if (!buildTime && !routed) continue;
        let message: string;
        let kind: Entry['kind'] = 'other';
        if (f.stride !== null && f.stride <= 0) {
          message = `Fusion stride ${f.stride} is not positive (stage ${k}). HAT computes math.log2(${f.stride}) for the fusion conv's width and raises "ValueError: math domain error" when it builds the model.`;
        } else if (buildTime) {
          const named = Math.trunc(Math.log2(f.stride ?? 1) - 1);
          message = `Fusion stride ${f.stride} names stage ${named}, which doesn't exist (stage ${k}). int(log2(${f.stride}) - 1) = ${named}, but net_config has ${net.stages.length} stages: reading its out_channels raises "IndexError: list index out of range" when HAT builds the model.`;
        } else if (f.map && f.expectedChannels !== null && f.expectedChannels !== f.map.channels) {
          kind = 'channels';
          message = `Fusion conv expects ${f.expectedChannels} channels, gets ${f.map.channels} (stride ${f.stride}, stage ${k}). Fusion stride ${f.stride} names stage ${f.namedStage} (out_channels=${f.expectedChannels}), but the map arriving in position ${f.index} is stage ${f.map.fromStage}'s ${f.map.scale}x downsample with ${f.map.channels} channels: the conv raises RuntimeError ("expected input … to have ${f.expectedChannels} channels, but got ${f.map.channels} channels instead") on the first batch.`;
        } else if (f.map && f.map.shape && head.outShape && [...f.map.shape, ...head.outShape].every((d) => Number.isFinite(d) && d > 0)) {
          message = `Fusion map is ${f.map.shape[1]}x${f.map.shape[2]}, the head's output ${head.outShape[1]}x${head.outShape[2]} (stride ${f.stride}, stage ${k}). Fusion stride ${f.stride}: ${f.problem} (RuntimeError "The size of tensor a must match the size of tensor b" on the first batch).`;
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
          // Rewrite the whole list when it is literal (one edit that fixes every entry, as the
          // other fusion rules do); else just this entry.
          if (listFix) fixes.push(listFix);
          else if (item.literal && s !== f.stride)
            fixes.push({ title: `Set to ${s} (stage ${f.map.fromStage}'s map arrives here)`, edits: [{ range: item.r, newText: String(s) }], preferred: true });
        }
        entries.push({ f, item, kind, message, related, fixes });
      }

      // Entries written in the wrong order are one mistake: one finding on the list, when one edit cures them all.
      const swapped = entries.filter((e) => e.kind === 'channels');
      const merged = swapped.length >= 2 && listFix && swapped.every((e) => e.fixes.includes(listFix)) && arriving;
      for (const e of entries) {
        if (merged && e.kind === 'channels') continue;
        out.push({
          code: rule.code,
          severity: rule.severity,
          message: e.message,
          range: e.item.r,
          stage: k,
          related: e.related.length ? e.related : undefined,
          fixes: e.fixes.length ? e.fixes : undefined,
        });
      }
      if (merged) {
        const expects = swapped.map((e) => String(e.f.expectedChannels));
        const gets = swapped.map((e) => String(e.f.map!.channels));
        const maps = swapped.map((e) => `stage ${e.f.map!.fromStage}'s ${e.f.map!.scale}x map (${e.f.map!.channels} channels)`);
        const related: Related[] = swapped.map((e) => ({
          range: e.item.r,
          message: `stride ${e.f.stride} names stage ${e.f.namedStage} (${e.f.expectedChannels} channels); position ${e.f.index} gets stage ${e.f.map!.fromStage}'s ${e.f.map!.scale}x map (${e.f.map!.channels} channels)`,
        }));
        for (const e of swapped) for (const r of e.related) if (!related.some((x) => x.range.start === r.range.start && x.range.end === r.range.end)) related.push(r);
        out.push({
          code: rule.code,
          severity: rule.severity,
          message:
            `Fusion convs expect ${joinAnd(expects)} channels, get ${joinAnd(gets)} (stage ${k}). fusion_strides=${show(fs)} names ` +
            `stages ${joinAnd(swapped.map((e) => String(e.f.namedStage)))}, but ${joinAnd(maps)} arrive in that order: the first fusion conv raises RuntimeError ` +
            `("expected input … to have ${swapped[0].f.expectedChannels} channels, but got ${swapped[0].f.map!.channels} channels instead") on the first batch. ` +
            `${pyIntList(arriving)} names the maps in the order they arrive.`,
          range: fs.r,
          stage: k,
          related,
          fixes: [listFix],
        });
      }
    });
    return out;
  },
};

export default rule;

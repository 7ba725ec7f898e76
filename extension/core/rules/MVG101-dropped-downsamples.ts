import { routeMaps } from '../model';
import type { Rule, Finding, Fix, RuleContext } from './types';
import type { Range } from '../text';
import { type ConfigValue, isSeq, type Value } from '../python/values';
import { fieldValue, insertFieldEdit } from './util';
import { plural } from '../format';

// ------------------------------------------------------------------------------------------------
// Helpers shared by the silent and guidance rules (MVG1nn, MVG2nn, MVG3nn). They live here, in the
// first rule that needs them, so that every rule stays one file and nothing else has to change.
// ------------------------------------------------------------------------------------------------

/** One downsampled map in HAT's fusion lists: stage `fromStage`'s output, downsampled `scale` times. */
export interface RouteMap {
  fromStage: number;
  scale: 2 | 4 | 8;
}

/**
 * What each stage's head receives after x: an array of maps (possibly empty: HAT then passes [x]),
 * null for a plain tensor, undefined when the routing cannot be known. Index n (one past the
 * last stage) is what goes on to the classifier head / is discarded without it.
 */
export type Routed = RouteMap[] | null | undefined;

/**
 * extra_downsample_num of every stage as HAT would use it, or null when it cannot be known
 * (unknown value, opaque **kwargs, a stage that cannot be known, a value HAT asserts on).
 */
export function stageEdns(ctx: RuleContext): (number | null)[] {
  const net = ctx.net;
  if (!net) return [];
  if (ctx.ex.netConfig?.recovered) return net.stages.map(() => null);
  return net.stages.map((s) => {
    const cfg = s.config;
    if (!cfg || cfg.opaque || cfg.broken) return null;
    const v = fieldValue(cfg, 'extra_downsample_num');
    if (!v) return 0;
    if (v.k !== 'int' && v.k !== 'bool') return null;
    const n = Number(v.v);
    return n >= 0 && n <= 3 ? n : null;
  });
}

/** HAT's MixVarGENet._handle_fusion_data, followed on the extra_downsample_num of every stage. */
export function simulateRouting(edns: (number | null)[]): Routed[] {
  const out: Routed[] = [null];
  let start: number | null = null;
  const d2: RouteMap[] = [];
  const d4: RouteMap[] = [];
  const d8: RouteMap[] = [];
  let known = true;
  edns.forEach((e, k) => {
    if (!known || e === null) {
      known = false;
      out.push(undefined);
      return;
    }
    if (e === 0) {
      out.push(null);
      return;
    }
    if (start === null) start = k;
    d2.push({ fromStage: k, scale: 2 });
    if (e > 1) d4.push({ fromStage: k, scale: 4 });
    if (e > 2) d8.push({ fromStage: k, scale: 8 });
    out.push(routeMaps(d2, d4, d8, k - start));
  });
  return out;
}

/** Same input for a stage head. `[x]` with no maps behaves like a plain x there (not so for the classifier head). */
function sameRouted(a: Routed, b: Routed, emptyIsPlain: boolean): boolean {
  if (a === undefined || b === undefined) return false;
  if (emptyIsPlain) {
    if (a?.length === 0) a = null;
    if (b?.length === 0) b = null;
  }
  if (a === null || b === null) return a === b;
  return a.length === b.length && a.every((m, j) => m.fromStage === b[j].fromStage && m.scale === b[j].scale);
}

/**
 * Would changing stage k's extra_downsample_num to `to` leave what every stage from `from` on receives
 * unchanged? `withTop`: what follows the last stage matters too (it goes into the classifier head);
 * without the top it is discarded.
 */
export function routingUnchangedIf(edns: (number | null)[], k: number, to: number, from: number, withTop: boolean): boolean {
  const before = simulateRouting(edns);
  const after = simulateRouting(edns.map((e, i) => (i === k ? to : e)));
  const end = withTop ? before.length : before.length - 1;
  for (let s = from; s < end; s++) if (!sameRouted(before[s], after[s], s < edns.length)) return false;
  return true;
}

export function mapLabel(m: RouteMap): string {
  return `stage ${m.fromStage}'s ${m.scale}x`;
}

/** "a, b and c" */
export function listText(xs: string[]): string {
  if (xs.length <= 1) return xs.join('');
  return `${xs.slice(0, -1).join(', ')} and ${xs[xs.length - 1]}`;
}

/** Ranges of every value a stage config holds (items of sequences included). */
function valueRanges(v: Value, out: Range[]): void {
  out.push(v.r);
  if (isSeq(v)) for (const i of v.items) valueRanges(i, out);
}

/**
 * A literal that belongs to this stage alone: safe to rewrite. A literal written once inside a
 * helper function that builds several stages is shared, and rewriting it would change them all.
 */
export function ownLiteral(ctx: RuleContext, cfg: ConfigValue | undefined, v: Value | undefined): boolean {
  if (!v || !v.literal) return false;
  for (const other of ctx.stageConfigs) {
    if (!other || other === cfg) continue;
    const rs: Range[] = [];
    for (const a of other.args.values()) valueRanges(a.value, rs);
    if (rs.some((r) => r.start === v.r.start && r.end === v.r.end)) return false;
  }
  return true;
}

/** The config call is written for this stage alone (not once in a helper that builds several stages). */
export function ownCall(ctx: RuleContext, cfg: ConfigValue): boolean {
  return !ctx.stageConfigs.some((o) => o && o !== cfg && o.call.start === cfg.call.start);
}

/**
 * A list or tuple display written right here (`[8, 4]`), every item a literal: safe to rewrite as a
 * whole. Not a name, not `[4] * 2`, not `a + b`.
 */
export function isSeqDisplay(text: string, v: Value | undefined): boolean {
  if (!v || !isSeq(v) || v.def) return false;
  const open = text[v.r.start];
  const close = text[v.r.end - 1];
  if (!((open === '[' && close === ']') || (open === '(' && close === ')'))) return false;
  let depth = 0;
  for (let i = v.r.start; i < v.r.end; i++) {
    const c = text[i];
    if (c === '[' || c === '(' || c === '{') depth++;
    else if (c === ']' || c === ')' || c === '}') {
      depth--;
      if (depth === 0 && i !== v.r.end - 1) return false;
    }
  }
  const seen = new Set<number>();
  for (const it of v.items) {
    if (!it.literal || it.r.start < v.r.start || it.r.end > v.r.end || seen.has(it.r.start)) return false;
    seen.add(it.r.start);
  }
  return true;
}

/** Stage index of a config, if it is a stage of the analysed net_config. */
export function stageOf(ctx: RuleContext, cfg: ConfigValue): number | undefined {
  const i = ctx.stageConfigs.indexOf(cfg);
  return i >= 0 ? i : undefined;
}

/**
 * Every config to check: the stages of net_config (each evaluation, so a helper that builds several
 * stages is seen once per stage), then any other config call in the file.
 */
export function configsToCheck(ctx: RuleContext): ConfigValue[] {
  const stages = ctx.stageConfigs.filter((c): c is ConfigValue => !!c);
  const calls = new Set(stages.map((c) => c.call.start));
  return [...stages, ...ctx.ex.configs.filter((c) => !calls.has(c.call.start))];
}

/** Findings with the same code, range and message are reported once (e.g. `["op"] * 6`). */
export function dedupe(fs: Finding[]): Finding[] {
  const seen = new Set<string>();
  return fs.filter((f) => {
    const key = `${f.code}|${f.range.start}|${f.range.end}|${f.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** fusion_strides is known to be absent or empty (no fusion layers), and nothing is hidden in **kwargs. */
export function noFusionStrides(cfg: ConfigValue | undefined): boolean {
  if (!cfg || cfg.opaque || cfg.broken) return false;
  const fs = fieldValue(cfg, 'fusion_strides');
  return !fs || (isSeq(fs) && fs.items.length === 0);
}

// ------------------------------------------------------------------------------------------------

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
        `extra_downsample_num=${edn}: stage ${k} emits ${plural(edn, 'downsampled map')}, but stage ${s}'s head has no fusion_strides: ` +
        `${listText(labels)} ${maps.length === 1 ? 'map arrives' : 'maps arrive'} there and ${maps.length === 1 ? 'is' : 'are'} dropped, ` +
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
        if (!fsV && ownCall(ctx, cfg)) fixes.push({ title, edits: [insertFieldEdit(ctx.text, cfg, `fusion_strides=${snippet}`)] });
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

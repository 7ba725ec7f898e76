/**
 * HAT's fusion routing (MixVarGENet._handle_fusion_data) as the rules see it: what each stage emits
 * (extra_downsample_num), what each stage's head receives, whether that can be known, and the
 * fusion_strides a head declares.
 */
import type { RuleContext } from '../types';
import { routeMaps } from '../../model';
import { type ConfigValue, isSeq } from '../../python/values';
import { fieldValue, intLike } from './configs';
import { netConfigIntact } from './trust';

/**
 * extra_downsample_num of a stage as HAT would use it, when it can be known and is valid
 * (0..3, absent = 0); undefined otherwise.
 */
export function validDownsampleNum(cfg: ConfigValue | undefined): number | undefined {
  if (!cfg || cfg.broken) return undefined;
  const v = cfg.args.get('extra_downsample_num')?.value;
  if (!v) return cfg.opaque ? undefined : 0;
  const n = intLike(v);
  return n !== undefined && n >= 0 && n <= 3 ? n : undefined;
}

/**
 * Whether what stage k's head receives can be known: every earlier stage is one known,
 * intact config whose extra_downsample_num is known and valid. (The model treats a stage it
 * cannot read as emitting nothing; the fusion rules must not trust that.)
 */
export function routingKnownInto(ctx: RuleContext, k: number): boolean {
  return k <= routingKnownPrefix(ctx);
}

const knownPrefix = new WeakMap<RuleContext, number>();

/** The largest k for which routingKnownInto(ctx, k) holds; computed once per analysis (rules ask per stage). */
function routingKnownPrefix(ctx: RuleContext): number {
  const cached = knownPrefix.get(ctx);
  if (cached !== undefined) return cached;
  let k = -1;
  const nc = ctx.ex.netConfig;
  if (nc && ctx.net && netConfigIntact(ctx)) {
    k = 0;
    for (let j = 0; j < nc.stages.length; j++) {
      const entry = nc.stages[j];
      if (!entry || entry.unknown || entry.configs.length !== 1) break;
      const edn = validDownsampleNum(entry.configs[0]);
      // The model emits maps only when it knows their width; their number must still be right.
      if (edn === undefined || ctx.net.stages[j]?.emits.length !== edn) break;
      k = j + 1;
    }
    k = Math.max(k, 0);
  }
  knownPrefix.set(ctx, k);
  return k;
}

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
 * extra_downsample_num of every stage of the model as HAT would use it, or null when it cannot be
 * known (unknown value, opaque **kwargs, a stage that cannot be known, a value HAT asserts on).
 */
export function stageEdns(ctx: RuleContext): (number | null)[] {
  const net = ctx.net;
  if (!net) return [];
  if (ctx.ex.netConfig?.recovered) return net.stages.map(() => null);
  return net.stages.map((s) => (s.config && !s.config.opaque ? (validDownsampleNum(s.config) ?? null) : null));
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

/** "stage 1's 4x" */
export function mapLabel(m: RouteMap): string {
  return `stage ${m.fromStage}'s ${m.scale}x`;
}

/** fusion_strides is known to be absent or empty (no fusion layers), and nothing is hidden in **kwargs. */
export function noFusionStrides(cfg: ConfigValue | undefined): boolean {
  if (!cfg || cfg.opaque || cfg.broken) return false;
  const fs = fieldValue(cfg, 'fusion_strides');
  return !fs || (isSeq(fs) && fs.items.length === 0);
}

/** The fusion_strides of a config, when every entry is a known int, and whether they are out of order. */
export function unsortedFusion(cfg: ConfigValue | undefined): { strides: number[]; at: number } | undefined {
  const fs = fieldValue(cfg, 'fusion_strides');
  if (!fs || !isSeq(fs) || !fs.items.every((i) => i.k === 'int')) return undefined;
  const strides = fs.items.map((i) => (i as { v: number }).v);
  const at = strides.findIndex((s, j) => j > 0 && strides[j - 1] > s);
  return at > 0 ? { strides, at } : undefined;
}

/**
 * Find, in an evaluated config module, what HAT would build MixVarGENet from: the backbone
 * arguments, net_config and its stages, the input shape (deploy_inputs) and the target (march).
 */
import type { Range } from './text';
import { rangeContains } from './text';
import type { PNode, ParsedModule } from './python/parse';
import { walk } from './python/parse';
import type { EvalResult } from './python/evaluate';
import { type ConfigValue, type DictEntry, type DictValue, isSeq, type Value } from './python/values';

export interface StageEntry {
  index: number;
  /** Range of the stage item inside net_config (normally the inner list). */
  range: Range;
  /** The configs the stage holds (exactly one in a valid config). */
  configs: ConfigValue[];
  /** The stage item is not a list/tuple (e.g. a bare MixVarGENetConfig). */
  notAList: boolean;
  /** The stage item's value could not be known. */
  unknown: boolean;
  /** Items of the stage list that are not configs (IdentityConfig, unknown values, …). */
  otherItems: Value[];
  value: Value;
}

export interface NetConfigInfo {
  value: Value;
  /** Where net_config's list is written. */
  range: Range;
  /** Where it is passed to the backbone (`net_config=...`), when found through the backbone. */
  argRange?: Range;
  stages: StageEntry[];
  /** Stages were recovered from a region with syntax errors, one per config call. */
  recovered: boolean;
  /** The net_config value (or parts of it) could not be known. */
  partial: boolean;
  source: 'backbone' | 'variable' | 'list';
}

export interface BackboneInfo {
  dict: DictValue;
  entries: Map<string, DictEntry>;
  complete: boolean;
}

export type Target = 'J5' | 'J6' | 'XJ3' | 'any';

export interface InputInfo {
  /** N, C, H, W. */
  shape: [number, number, number, number];
  range?: Range;
  source: 'deploy_inputs' | 'data_shape' | 'default';
}

export interface Extracted {
  netConfig?: NetConfigInfo;
  backbone?: BackboneInfo;
  /** Other MixVarGENet backbone dicts in the file (e.g. a deploy model), not analysed as the network. */
  otherBackbones: BackboneInfo[];
  input: InputInfo;
  march?: { name: string; range: Range };
  /** Target from march (BAYES → J5), or 'any' when the file does not say. */
  marchTarget?: Target;
  /** Every distinct MixVarGENetConfig call, by source position. */
  configs: ConfigValue[];
  /** The file mentions MixVarGENetConfig at all. */
  mentionsConfig: boolean;
}

const DEFAULT_INPUT: [number, number, number, number] = [1, 3, 224, 224];

function isBackboneDict(d: DictValue): boolean {
  const t = d.entries.get('type')?.value;
  if (!t) return false;
  if (t.k === 'str') return t.v === 'MixVarGENet';
  if (t.k === 'ref') return t.path[t.path.length - 1] === 'MixVarGENet';
  return false;
}

function findNode(statements: PNode[], r: Range): PNode | undefined {
  let best: PNode | undefined;
  for (const s of statements) {
    if (s.to < r.start || s.from > r.end) continue;
    walk(s, (n) => {
      if (n.from === r.start && n.to === r.end) {
        best = n;
        return false;
      }
      return n.from <= r.start && r.end <= n.to;
    });
    if (best) break;
  }
  return best;
}

function stageFrom(v: Value, index: number): StageEntry {
  if (v.k === 'list' || v.k === 'tuple') {
    const configs = v.items.filter((i): i is ConfigValue => i.k === 'config');
    return { index, range: v.r, configs, notAList: false, unknown: false, otherItems: v.items.filter((i) => i.k !== 'config'), value: v };
  }
  if (v.k === 'config') return { index, range: v.r, configs: [v], notAList: true, unknown: false, otherItems: [], value: v };
  return { index, range: v.r, configs: [], notAList: v.k !== 'unknown', unknown: v.k === 'unknown', otherItems: [], value: v };
}

function dedupConfigs(configs: ConfigValue[]): ConfigValue[] {
  const seen = new Map<number, ConfigValue>();
  for (const c of configs) if (!seen.has(c.call.start)) seen.set(c.call.start, c);
  return [...seen.values()].sort((a, b) => a.call.start - b.call.start);
}

export function extract(mod: ParsedModule, ev: EvalResult & { orphans?: ConfigValue[] }): Extracted {
  const allConfigs = dedupConfigs([...ev.configs, ...(ev.orphans ?? [])]);
  const mentionsConfig = ev.configCallNodes.length > 0 || /MixVarGENetConfig/.test(mod.text);

  // Backbone dicts, deduplicated by where they are written.
  const seenDict = new Set<number>();
  const backbones: BackboneInfo[] = [];
  for (const d of ev.dicts) {
    if (!isBackboneDict(d) || seenDict.has(d.node.start)) continue;
    seenDict.add(d.node.start);
    backbones.push({ dict: d, entries: d.entries, complete: d.complete });
  }
  // Prefer the one inside `model = ...`.
  const modelAssign = ev.assignments.filter((a) => a.name === 'model');
  let primary = backbones.find((b) => modelAssign.some((a) => rangeContains(a.expr, b.dict.node)));
  primary = primary ?? backbones[0];

  let netConfig: NetConfigInfo | undefined;
  const fromValue = (value: Value, source: NetConfigInfo['source'], argRange?: Range): NetConfigInfo => {
    const stages: StageEntry[] = isSeq(value) ? value.items.map((item, i) => stageFrom(item, i)) : [];
    const where = value.def ?? value.r;
    const node = findNode(mod.statements, where);
    const hasError = !!node?.error || (value.k === 'unknown' && /syntax/.test(value.why));
    if (hasError && node) {
      // Recovery: one stage per config call written inside net_config's expression.
      const calls: ConfigValue[] = allConfigs.filter((c) => rangeContains(where, c.call));
      const outer = calls.filter((c) => !calls.some((o) => o !== c && rangeContains(o.call, c.call) && !o.broken));
      return {
        value,
        range: where,
        argRange,
        stages: outer.map((c, i) => ({ index: i, range: c.call, configs: [c], notAList: false, unknown: false, otherItems: [], value: c })),
        recovered: true,
        partial: true,
        source,
      };
    }
    return {
      value,
      range: where,
      argRange,
      stages,
      recovered: false,
      partial: !isSeq(value) || stages.some((s) => s.unknown),
      source,
    };
  };

  if (primary) {
    const e = primary.entries.get('net_config');
    if (e) netConfig = fromValue(e.value, 'backbone', e.itemRange);
  }
  if (!netConfig || (netConfig.value.k === 'unknown' && !netConfig.recovered)) {
    const v = ev.env.get('net_config');
    if (v && (isSeq(v) || v.k === 'unknown')) {
      const def = v.def ?? v.r;
      const direct = ev.assignments.filter((a) => a.name === 'net_config').pop();
      // The final value (after any net_config.append(...)), located where the list is written.
      netConfig = fromValue({ ...v, r: direct ? (direct.value.def ?? direct.value.r) : def, def: undefined }, 'variable', netConfig?.argRange);
    }
  }
  if (!netConfig) {
    // Any module-level list of lists holding configs.
    const cand = ev.assignments.filter(
      (a) => isSeq(a.value) && a.value.items.length > 0 && a.value.items.every((s) => isSeq(s) && s.items.some((c) => c.k === 'config')),
    );
    const last = cand.pop();
    if (last) netConfig = fromValue(last.value, 'list');
  }

  // Input shape.
  let input: InputInfo = { shape: DEFAULT_INPUT, source: 'default' };
  const shapeOf = (t: Value | undefined): [number, number, number, number] | undefined => {
    if (!t || t.k !== 'tensor') return undefined;
    const dims = t.shape.map((d) => (d.k === 'int' ? d.v : NaN));
    if (dims.length === 4 && dims.every((d) => Number.isInteger(d) && d > 0)) return dims as [number, number, number, number];
    if (dims.length === 3 && dims.every((d) => Number.isInteger(d) && d > 0)) return [1, dims[0], dims[1], dims[2]];
    return undefined;
  };
  const deploy = ev.env.get('deploy_inputs');
  if (deploy) {
    let t: Value | undefined;
    if (deploy.k === 'dict') t = deploy.entries.get('img')?.value ?? [...deploy.entries.values()].find((e) => e.value.k === 'tensor')?.value;
    else if (deploy.k === 'tensor') t = deploy;
    else if (isSeq(deploy)) t = deploy.items.find((i) => i.k === 'tensor');
    const s = shapeOf(t);
    if (s && t) input = { shape: s, range: t.r, source: 'deploy_inputs' };
  }
  if (input.source === 'default') {
    const ds = ev.env.get('data_shape');
    if (ds && isSeq(ds) && ds.items.length === 3 && ds.items.every((i) => i.k === 'int' && i.v > 0)) {
      const [c, h, w] = ds.items.map((i) => (i as { v: number }).v);
      input = { shape: [1, c, h, w], range: ds.r, source: 'data_shape' };
    }
  }

  // march
  let march: Extracted['march'];
  let marchTarget: Target | undefined;
  const m = ev.env.get('march');
  if (m) {
    const name = m.k === 'ref' ? m.path[m.path.length - 1] : m.k === 'str' ? m.v : undefined;
    if (name) {
      march = { name, range: m.def ?? m.r };
      const u = name.toUpperCase();
      marchTarget = u.startsWith('BAYES') ? 'J5' : u.startsWith('NASH') ? 'J6' : u.startsWith('BERNOULLI') ? 'XJ3' : undefined;
    }
  }

  return {
    netConfig,
    backbone: primary,
    otherBackbones: backbones.filter((b) => b !== primary),
    input,
    march,
    marchTarget,
    configs: allConfigs,
    mentionsConfig,
  };
}

/**
 * The graph preview's diff mode: a GraphModel marked with a comparison (core/diff). Each added or changed stage's
 * node carries its status and what it was (the fields old → new, the old params and MACs) for its class and tooltip;
 * the model carries what it is compared with, the summary, and the stages that are gone. Pure.
 */
import type { ConfigDiff } from '../diff/diff';
import { changeText, diffSummary } from '../diff/text';
import { compact, thousands } from '../format';
import { nodeIds } from './model';
import type { GraphModel, NodeDiff } from './types';

/** `model` with the marks of `d` (the comparison of its config with `base`); the model itself is not changed. */
export function markDiff(model: GraphModel, d: ConfigDiff, base: string): GraphModel {
  const marks = new Map<string, NodeDiff>();
  for (const s of d.stages) {
    if (s.new === null || s.status === 'same' || s.status === 'removed') continue;
    const was =
      s.status === 'added'
        ? [`not in ${base}`]
        : [...s.changes.map((c) => `was ${changeText(c)}`), `was ${thousands(s.params.old)} params · ${thousands(s.macs.old)} MACs`];
    marks.set(nodeIds.stage(s.new), { status: s.status === 'added' ? 'added' : 'changed', was });
  }
  const removed = d.stages
    .filter((s) => s.status === 'removed')
    .map((s) => `stage ${s.old} (${compact(s.params.old)} params · ${compact(s.macs.old)} MACs)`);
  return {
    ...model,
    nodes: model.nodes.map((n) => {
      const m = marks.get(n.id);
      return m ? { ...n, diff: m } : n;
    }),
    diff: { base, summary: diffSummary(d), removed },
  };
}

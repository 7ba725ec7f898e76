/** Where the network's input size is written: deploy_inputs' tensor shape or data_shape. */
import type { RuleContext, TextEdit } from '../types';
import type { Range } from '../../text';
import { isSeq, type Value } from '../../python/values';

/** The values of the input's H and W as written (deploy_inputs' tensor shape or data_shape), if known. */
export function inputHW(ctx: RuleContext): { h: Value; w: Value } | undefined {
  const inp = ctx.ex.input;
  if (inp.source === 'default' || !inp.range) return undefined;
  const same = (v: Value) => v.r.start === inp.range!.start && v.r.end === inp.range!.end;
  if (inp.source === 'deploy_inputs') {
    const d = ctx.ev.env.get('deploy_inputs');
    const cands: Value[] = [];
    if (d?.k === 'dict') for (const e of d.entries.values()) cands.push(e.value);
    else if (d && isSeq(d)) cands.push(...d.items);
    else if (d) cands.push(d);
    const t = cands.find((c) => c.k === 'tensor' && same(c));
    if (t && t.k === 'tensor' && t.shape.length >= 2) return { h: t.shape[t.shape.length - 2], w: t.shape[t.shape.length - 1] };
    return undefined;
  }
  const ds = ctx.ev.env.get('data_shape');
  if (ds && isSeq(ds) && ds.items.length === 3) return { h: ds.items[1], w: ds.items[2] };
  return undefined;
}

/** Where the input's H and W are written, else the whole input, if known. */
export function inputHWRange(ctx: RuleContext): Range | undefined {
  const inp = ctx.ex.input;
  if (inp.source === 'default' || !inp.range) return undefined;
  const hw = inputHW(ctx);
  if (hw && hw.h.r.start < hw.w.r.end && hw.h.r.start >= 0 && hw.w.r.end <= ctx.text.length) return { start: hw.h.r.start, end: hw.w.r.end };
  return inp.range;
}

/** Edits that set the input's H and W, when both are int literals written where they are used; else undefined. */
export function inputSizeEdits(ctx: RuleContext, h: number, w: number): TextEdit[] | undefined {
  const hw = inputHW(ctx);
  if (!hw || hw.h.k !== 'int' || hw.w.k !== 'int' || !hw.h.literal || !hw.w.literal || hw.h.r.start === hw.w.r.start) return undefined;
  return [
    { range: hw.h.r, newText: String(h) },
    { range: hw.w.r, newText: String(w) },
  ];
}

/**
 * Hovers in MixVarGENet configs:
 * - an op name → its settings, the convs it becomes at this position (channels, kernel, groups,
 *   stride, output shape) and their params/MACs
 * - a field name (or its value) → the schema's doc and what it means at this stage
 * - `MixVarGENetConfig` → the stage summary (input → output, params, MACs, share, fusion)
 * - `net_config` → the network summary
 */
import type { Range } from '../text';
import type { Block, Stage } from '../model';
import { CONFIG_DOC, FIELD_BY_NAME } from '../schema';
import { isSeq, type ConfigValue } from '../python/values';
import { nodePath } from '../python/parse';
import { nearest } from '../rules/support/spelling';
import { thousands, fmtShape, fmtMacs, pct } from '../format';
import { fieldMarkdown } from './completion';
import { type IdeInput, scanAt, stageFacts } from './locate';
import type { Frame } from './scan';
import { toSnapshot, type AnalysisSnapshot } from './snapshot';
import { blockConvs, convTable, fusionLabel, opFlags, opSettingsLine, partsTable, stageSummaryMarkdown, statusText } from './summary';
import { strideNaming } from './cost';
import { escapeMarkdown, markdownCode } from '../markdown';

export interface IdeHover {
  markdown: string;
  range: Range;
  /** What was hovered (for tests and logs). */
  kind: 'op' | 'field' | 'config' | 'value' | 'net_config' | 'unknown-field';
}

const within = (r: Range | undefined, o: number) => !!r && r.start <= o && o <= r.end;

export function hover(inp: IdeInput, snapshot?: AnalysisSnapshot): IdeHover | null {
  const a = inp.analysis;
  const o = inp.offset;
  const snap = () => snapshot ?? (snapshot = toSnapshot(a, { uri: '', version: 0 }));
  // Innermost config call containing the offset.
  const calls = a.extracted.configs.filter((c) => within(c.call, o)).sort((x, y) => x.call.end - x.call.start - (y.call.end - y.call.start));
  const cfg = calls[0];
  if (cfg) {
    const r = configHover(inp, cfg, snap);
    if (r) return r;
  }
  // net_config's name.
  for (const asg of a.ev.assignments) {
    if (asg.name === 'net_config' && within(asg.target, o) && a.network) {
      const s = snap();
      return { kind: 'net_config', range: asg.target, markdown: `**${statusText(s)}**\n\n${partsTable(s)}` };
    }
  }
  // An op name in any string (e.g. a list of ops kept in a variable).
  const path = nodePath(a.parsed.statements, o);
  const str = [...path].reverse().find((n) => n.type === 'String');
  if (str) {
    const raw = a.text.slice(str.from, str.to);
    const m = /^[rRbBuUfF]{0,2}(['"])(.*)\1$/s.exec(raw);
    if (m && inp.ops.has(m[2])) return { kind: 'op', range: { start: str.from, end: str.to }, markdown: opMarkdown(inp, m[2], []) };
  }
  return null;
}

function stageOf(inp: IdeInput, cfg: ConfigValue): Stage | undefined {
  return inp.analysis.network?.stages.find((s) => s.config?.argList.start === cfg.argList.start);
}

function configHover(inp: IdeInput, cfg: ConfigValue, snap: () => AnalysisSnapshot): IdeHover | null {
  const o = inp.offset;
  const stage = stageOf(inp, cfg);
  if (within(cfg.callee, o)) {
    let md: string;
    const s = snap();
    const st = stage ? s.stages[stage.index] : undefined;
    if (st) md = `${stageSummaryMarkdown(s, st)}\n\n---\n\n${CONFIG_DOC}`;
    else md = `**MixVarGENetConfig** — not a stage of the analysed \`net_config\`.\n\n${CONFIG_DOC}`;
    return { kind: 'config', range: cfg.callee, markdown: md };
  }
  for (const u of cfg.unknownKwargs) {
    if (within(u.nameRange, o)) {
      const guess = nearest(u.name, [...FIELD_BY_NAME.keys()]);
      return {
        kind: 'unknown-field',
        range: u.nameRange,
        markdown: `**${escapeMarkdown(u.name)}** is not a field of MixVarGENetConfig: importing the config fails with ${markdownCode(`TypeError: __init__() got an unexpected keyword argument '${u.name}'`)}.${guess ? `\n\nDid you mean ${markdownCode(guess)}?` : ''}`,
      };
    }
  }
  for (const [field, arg] of cfg.args) {
    if (within(arg.nameRange, o)) return { kind: 'field', range: arg.nameRange!, markdown: fieldHover(inp, cfg, field) };
    const v = arg.value;
    if (!within(v.r, o)) continue;
    if (field === 'head_op' && v.k === 'str') {
      const blocks = stage?.blocks.filter((b) => b.role === 'head') ?? [];
      return { kind: 'op', range: v.r, markdown: opMarkdown(inp, v.v, blocks, stage) };
    }
    if (field === 'stack_ops' && isSeq(v)) {
      const item = v.items.find((i) => within(i.r, o));
      if (item && item.k === 'str') {
        const blocks = stage?.blocks.filter((b) => b.role === 'stack' && b.opRange && b.opRange.start === item.r.start && b.opRange.end === item.r.end) ?? [];
        return { kind: 'op', range: item.r, markdown: opMarkdown(inp, item.v, blocks, stage) };
      }
    }
    if (field === 'fusion_strides' && isSeq(v) && stage) {
      const idx = v.items.findIndex((i) => within(i.r, o));
      const f = stage.blocks[0]?.fusion[idx];
      if (idx >= 0 && f) {
        const lines = [`**fusion_strides[${idx}] = ${f.stride ?? '?'}**`];
        if (f.namedStage !== null) lines.push('', `Names stage ${f.namedStage} (log2(${f.stride}) − 1): its fusion conv is built for ${f.expectedChannels ?? '?'} input channels.`);
        if (f.map) lines.push('', `Arriving in position ${idx}: **${fusionLabel(f.map)}** (stride ${strideNaming(f.map)}).`);
        if (f.conv) lines.push('', convTable([{ name: `fusion ${f.stride}`, conv: f.conv }]));
        if (f.problem) lines.push('', `⚠ ${escapeMarkdown(f.problem)}`);
        return { kind: 'value', range: v.items[idx].r, markdown: lines.join('\n') };
      }
    }
    // Any other value: the field's doc and what it means here.
    return { kind: 'value', range: v.r, markdown: fieldHover(inp, cfg, field) };
  }
  return null;
}

function fieldHover(inp: IdeInput, cfg: ConfigValue, field: string): string {
  const sc = scanAt({ ...inp, offset: cfg.argList.start + 1 });
  const frame = findFrame(sc.roots, cfg.argList.start);
  const facts = frame ? stageFacts(inp, sc, frame) : undefined;
  const md = fieldMarkdown(field, facts) ?? `**${field}**`;
  const stage = stageOf(inp, cfg);
  const extra: string[] = [];
  if (stage) {
    if (field === 'extra_downsample_num' && stage.emits.length) extra.push(`Here: emits ${stage.emits.map((e) => `↓${e.scale} ${fmtShape(e.shape)}`).join(', ')}.`);
    if (field === 'stride' && stage.outputStride) extra.push(`Here: output stride ${stage.outputStride}, output ${fmtShape(stage.outShape)}.`);
    if (field === 'out_channels' && stage.outShape) extra.push(`Here: stage ${stage.index} outputs ${fmtShape(stage.outShape)}.`);
  }
  return extra.length ? `${md}\n\n${extra.join('\n\n')}` : md;
}

function findFrame(roots: Frame[], open: number): Frame | undefined {
  for (const f of roots) {
    if (f.open === open) return f;
    if (f.open < open && (f.close === null || f.close > open)) {
      const r = findFrame(f.children, open);
      if (r) return r;
    }
  }
  return undefined;
}

function opMarkdown(inp: IdeInput, op: string, blocks: Block[], stage?: Stage): string {
  const spec = inp.ops.get(op);
  if (!spec) {
    const guess = nearest(op, inp.ops.names());
    return `**${escapeMarkdown(op)}** is not a known op (${inp.ops.names().length} in the op table).${guess ? ` Did you mean ${markdownCode(guess)}?` : ''}`;
  }
  const target = inp.analysis.target;
  const out: string[] = [`**${escapeMarkdown(op)}** · ${opFlags(spec)}${target === 'J5' && !spec.j5 ? ' — ⚠ the J5 toolkit does not ship this op' : ''}`];
  if (blocks.length && stage) {
    // What it becomes here first: the block(s), their cost, what would crash; the convs; what the op is last.
    const b = blocks[0];
    const where =
      blocks.length === 1
        ? `stage ${stage.index} ${b.role === 'head' ? 'head block' : `stack block ${b.index}`}`
        : `stage ${stage.index} stack blocks ${blocks[0].index}–${blocks[blocks.length - 1].index} (${blocks.length} blocks)`;
    const params = blocks.every((x) => x.params !== null) ? blocks.reduce((t, x) => t + (x.params ?? 0), 0) : null;
    const macs = blocks.every((x) => x.macs !== null) ? blocks.reduce((t, x) => t + (x.macs ?? 0), 0) : null;
    const netParams = inp.analysis.network?.params ?? inp.analysis.network?.knownParams ?? null;
    out.push(
      '',
      `**Here** — ${where}: ${b.cin} → ${b.mid} → ${b.cout}, stride ${b.stride}, ${fmtShape(b.inShape)} → ${fmtShape(b.outShape)}`,
      '',
      `${blocks.length > 1 ? `${blocks.length} blocks` : 'Block'}: **${thousands(params)} params** (${pct(params, netParams)} of the network) · **${thousands(macs)} MACs** (${fmtMacs(macs)})`,
    );
    const problems = blocks.flatMap((x) => blockConvs(x).filter((c) => c.conv.problem).map((c) => `${c.name}: ${c.conv.problem}`));
    for (const p of [...new Set(problems)]) out.push('', `✗ ${escapeMarkdown(p)}`);
    out.push('', convTable(blockConvs(b)));
    const differs = blocks.some((x) => x.cin !== b.cin || x.cout !== b.cout || x.mid !== b.mid);
    if (blocks.length > 1 && differs) {
      out.push('', blocks.map((x) => `block ${x.index}: ${x.cin}→${x.mid}→${x.cout}, ${thousands(x.params)} params`).join(' · '));
    }
  }
  // What the op is everywhere, in one line (its description is in the completion details and the summary).
  out.push('', `**Settings:** ${opSettingsLine(spec)}`);
  return out.join('\n');
}

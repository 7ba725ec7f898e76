/** Text and markdown views of an analysis: the status line, the network summary, stage and op tables. */
import type { Conv, FusionMap } from '../model';
import type { OpSpec } from '../schema';
import type { AnalysisSnapshot, SnapshotBlock, SnapshotStage } from './snapshot';
import { compact, fmtMacs, fmtParams, fmtShape, thousands, pct } from '../format';
import { mdTable } from './table';
import { escapeMarkdown } from '../markdown';

/**
 * `MixVarGENet · 5 stages · 2.31M params · 1.03 GMAC · J5`, then `· 1 hint` when there are hints: VS Code's own
 * problems item counts errors, warnings and information, never hints.
 */
export function statusText(s: AnalysisSnapshot): string {
  const parts = ['MixVarGENet'];
  const n = s.stages.length;
  parts.push(n === 0 ? 'no net_config' : n === 1 ? '1 stage' : `${n} stages`);
  if (n > 0) {
    parts.push(s.params !== null ? fmtParams(s.params) : `≥${fmtParams(s.knownParams)}`);
    parts.push(s.macs !== null ? fmtMacs(s.macs) : `≥${fmtMacs(s.knownMacs)}`);
  }
  parts.push(targetLabel(s));
  const hints = s.counts.hint;
  if (hints) parts.push(`${hints} hint${hints === 1 ? '' : 's'}`);
  return parts.join(' · ');
}

export function targetLabel(s: Pick<AnalysisSnapshot, 'target'>): string {
  return s.target === 'any' ? 'any target' : s.target;
}

function findingsLine(s: AnalysisSnapshot): string {
  const c = s.counts;
  const parts: string[] = [];
  if (c.error) parts.push(`${c.error} error${c.error === 1 ? '' : 's'}`);
  if (c.warning) parts.push(`${c.warning} warning${c.warning === 1 ? '' : 's'}`);
  if (c.info) parts.push(`${c.info} info`);
  if (c.hint) parts.push(`${c.hint} hint${c.hint === 1 ? '' : 's'}`);
  return parts.length ? parts.join(', ') : 'no problems';
}

export function fusionLabel(m: FusionMap): string {
  return `stage ${m.fromStage} ↓${m.scale} (${m.channels} ch${m.shape ? `, ${m.shape[1]}×${m.shape[2]}` : ''})`;
}

/** A stage's ops with runs collapsed: `mixvarge_f4, mixvarge_f2_gb16 ×6`. */
export function opsCell(st: Pick<SnapshotStage, 'headOp' | 'stackOps'>): string {
  const out: string[] = [st.headOp ?? '?'];
  // Collapse runs: ["a","a","a"] → a ×3
  let k = 0;
  while (k < st.stackOps.length) {
    let j = k;
    while (j + 1 < st.stackOps.length && st.stackOps[j + 1] === st.stackOps[k]) j++;
    const run = j - k + 1;
    out.push(run > 1 ? `${st.stackOps[k]} ×${run}` : st.stackOps[k]);
    k = j + 1;
  }
  return out.join(', ');
}

/** Tooltip of the status bar item: a compact table. */
/**
 * Every part of the network, one row each — stem, stages, head — with its output, params and MACs and their share,
 * and the total under them (so the rows add up to it): the status-bar tooltip and the `net_config` hover.
 */
export function partsTable(s: AnalysisSnapshot): string {
  const total = s.params ?? s.knownParams;
  const totalMacs = s.macs ?? s.knownMacs;
  const row = (part: string, out: readonly number[] | null | undefined, params: number | null, macs: number | null): string[] => [
    part,
    fmtShape(out ?? null),
    params !== null ? `${compact(params)} (${pct(params, total)})` : '?',
    macs !== null ? `${compact(macs)} (${pct(macs, totalMacs)})` : '?',
  ];
  const rows: string[][] = [];
  if (s.stem) rows.push(row('stem', s.stem.outShape, s.stem.params, s.stem.macs));
  for (const st of s.stages) rows.push(row(`stage ${st.index}${st.outputStride !== null ? ` /${st.outputStride}` : ''}`, st.outShape, st.params, st.macs));
  if (s.head) rows.push(row('head', s.head.cls.outShape, s.head.params, s.head.macs));
  rows.push(['total', '', s.params !== null ? compact(s.params) : '≥' + compact(s.knownParams), s.macs !== null ? compact(s.macs) : '≥' + compact(s.knownMacs)]);
  return mdTable(['part', 'output', 'params', 'MACs'], rows, ['l', 'l', 'r', 'r']);
}

export function statusTooltip(s: AnalysisSnapshot): string {
  return [
    `**MixVarGENet** · input ${fmtShape(s.input.slice(1))} · target ${targetLabel(s)}${s.targetFromFile ? ` (march ${s.march})` : ''}`,
    '',
    partsTable(s),
    '',
    `${s.params !== null ? thousands(s.params) : '≥' + thousands(s.knownParams)} params · ${s.macs !== null ? thousands(s.macs) : '≥' + thousands(s.knownMacs)} MACs · ${findingsLine(s)}`,
    ...(s.counts.hint
      ? ['', 'Hints show as faded dots in the editor, not in the Problems panel; `mixvargenet.severity.guidance: information` lists the J5 design hints there.']
      : []),
    '',
    'Click for the network summary.',
  ].join('\n');
}

/** The "Show Network Summary" document. */
export function networkSummaryMarkdown(s: AnalysisSnapshot, fileLabel: string, ruleLink?: (code: string) => string): string {
  const out: string[] = [];
  out.push(`# MixVarGENet network — ${fileLabel}`);
  out.push('');
  const inputFrom = s.inputSource === 'deploy_inputs' ? 'from `deploy_inputs`' : s.inputSource === 'data_shape' ? 'from `data_shape`' : 'default';
  out.push(
    `Input **${s.input.join('×')}** (${inputFrom}) · target **${targetLabel(s)}**${s.targetFromFile ? ` (from \`march = ${s.march}\`)` : ' (setting `mixvargenet.target`)'} · ${findingsLine(s)}`,
  );
  out.push('');
  if (s.stages.length === 0) {
    out.push('No `net_config` with MixVarGENetConfig stages was found in this file.');
    return out.join('\n');
  }
  const total = s.params ?? s.knownParams;
  const totalMacs = s.macs ?? s.knownMacs;
  out.push(
    `**${s.params !== null ? thousands(s.params) : '≥ ' + thousands(s.knownParams)} parameters** (${fmtParams(s.params ?? s.knownParams)}) · **${s.macs !== null ? thousands(s.macs) : '≥ ' + thousands(s.knownMacs)} MACs** (${fmtMacs(s.macs ?? s.knownMacs)}) per image${s.exact ? '' : ' — partial: some values cannot be known statically'}`,
  );
  if (s.recovered) out.push('', '> The file has syntax errors: stages were recovered one per `MixVarGENetConfig(...)` call.');
  out.push('');
  const rows: string[][] = [];
  if (s.stem) {
    rows.push(['stem', `${s.stem.cin}→${s.stem.cout}`, '/2', fmtShape(s.stem.outShape), 'conv 3x3/s2', thousands(s.stem.params), pct(s.stem.params, total), thousands(s.stem.macs), pct(s.stem.macs, totalMacs), '']);
  }
  for (const st of s.stages) {
    const fusion = (st.blocks[0]?.fusion ?? []).map((f) => (f.map ? `${f.stride} ← ${fusionLabel(f.map)}` : `${f.stride ?? '?'}`)).join('; ');
    const emits = st.emits.length ? `emits ↓${st.emits.map((e) => e.scale).join(', ↓')}` : '';
    rows.push([
      String(st.index),
      `${st.inChannels ?? '?'}→${st.outChannels ?? '?'}`,
      st.outputStride !== null ? `/${st.outputStride}` : '?',
      fmtShape(st.outShape),
      opsCell(st) + (st.stackFactor && st.stackFactor > 1 ? ` (factor ${st.stackFactor})` : ''),
      st.params !== null ? thousands(st.params) : `≥${thousands(st.knownParams)}`,
      pct(st.params ?? st.knownParams, total),
      st.macs !== null ? thousands(st.macs) : `≥${thousands(st.knownMacs)}`,
      pct(st.macs ?? st.knownMacs, totalMacs),
      [fusion && `fuses ${fusion}`, emits].filter(Boolean).join(' · '),
    ]);
  }
  if (s.head) {
    rows.push([
      'head',
      `${s.head.fc.cin}→${s.head.cls.cout}`,
      '',
      fmtShape(s.head.cls.outShape),
      `1x1 ${s.head.fc.cout}, AvgPool2d(7), 1x1`,
      thousands(s.head.params),
      pct(s.head.params, total),
      thousands(s.head.macs),
      pct(s.head.macs, totalMacs),
      s.head.pool.problem ?? (s.head.rowsPerImage && s.head.rowsPerImage > 1 ? `view() gives ${s.head.rowsPerImage} rows per image` : ''),
    ]);
  }
  out.push(mdTable(['stage', 'channels', 'stride', 'output', 'ops', 'params', '%', 'MACs', '%', 'fusion'], rows, ['r', 'l', 'r', 'l', 'l', 'r', 'r', 'r', 'r', 'l']));
  const unknown = s.stages.filter((st) => st.unknown.length);
  if (unknown.length) {
    out.push('', '### Not fully known', '');
    for (const st of unknown) out.push(`- stage ${st.index}: ${escapeMarkdown([...new Set(st.unknown)].join('; '))}`);
  }
  if (s.findings.length) {
    out.push('', '### Problems', '');
    for (const f of s.findings) {
      const code = ruleLink ? `[${f.code}](${ruleLink(f.code)})` : f.code;
      out.push(`- ${f.severity} ${code} (line ${f.range.from.line + 1}): ${escapeMarkdown(f.message)}`);
    }
  }
  return out.join('\n');
}

export function opSettingsTable(spec: OpSpec): string {
  const rows: string[][] = [
    ['conv1', `3x3, widens ×${spec.factor}${spec.factor === 1 ? ' (mid = out)' : ''}`, spec.conv1_group_base ? `groups = int(cin/${spec.conv1_group_base})` : 'groups = 1'],
    ['conv2', `${spec.conv2_kernel_size}x${spec.conv2_kernel_size}, padding ${spec.padding}`, spec.conv2_group_base ? `groups = int(cout/${spec.conv2_group_base})` : 'groups = 1'],
    ['shortcut', spec.merge_branch ? 'always 1x1 conv + BN' : '1x1 conv + BN when stride ≠ 1 or cin ≠ cout', ''],
  ];
  return mdTable(['', 'settings', 'groups'], rows);
}

/** The op's settings in one line: `conv1 3×3 widens ×2, groups int(cin/16) · conv2 1×1 · shortcut 1×1 when stride ≠ 1 or cin ≠ cout`. */
export function opSettingsLine(spec: OpSpec): string {
  const conv1 = `conv1 3×3 widens ×${spec.factor}${spec.conv1_group_base ? `, groups int(cin/${spec.conv1_group_base})` : ''}`;
  const conv2 = `conv2 ${spec.conv2_kernel_size}×${spec.conv2_kernel_size}${spec.padding ? ` pad ${spec.padding}` : ''}${spec.conv2_group_base ? `, groups int(cout/${spec.conv2_group_base})` : ''}`;
  const shortcut = spec.merge_branch ? 'shortcut always 1×1' : 'shortcut 1×1 when stride ≠ 1 or cin ≠ cout';
  return [conv1, conv2, shortcut].join(' · ');
}

export function opFlags(spec: OpSpec): string {
  const flags: string[] = [];
  flags.push(spec.j5 ? 'J5 toolkit' : 'not in the J5 toolkit');
  if (spec.reparam) flags.push('re-parameterised');
  if (spec.source !== 'HAT BLOCK_CONFIG') flags.push(`from ${spec.source}`);
  return flags.join(' · ');
}

/** A conv's kernel, stride and groups in one labelled cell: `3×3 s2 g4` (three bare numbers side by side read as one). */
export function kernelCell(c: Pick<Conv, 'k' | 'stride' | 'groups'>): string {
  return `${c.k}×${c.k} s${c.stride}${c.groups > 1 ? ` g${c.groups}` : ''}`;
}

function convRow(name: string, c: Conv): string[] {
  return [name, `${c.cin}→${c.cout}`, kernelCell(c), fmtShape(c.outShape), c.params !== null ? thousands(c.params) : '✗', c.macs !== null ? thousands(c.macs) : '?'];
}

export const CONV_HEADER = ['conv', 'channels', 'kernel', 'output', 'params', 'MACs'];
export const CONV_ALIGN: ('l' | 'r')[] = ['l', 'l', 'l', 'l', 'r', 'r'];

export function convTable(convs: { name: string; conv: Conv }[]): string {
  return mdTable(CONV_HEADER, convs.map((c) => convRow(c.name, c.conv)), CONV_ALIGN);
}

export function blockConvs(b: Pick<SnapshotBlock, 'conv1' | 'conv2' | 'shortcut' | 'fusion'>): { name: string; conv: Conv }[] {
  const out = [
    { name: 'conv1', conv: b.conv1 },
    { name: 'conv2', conv: b.conv2 },
  ];
  if (b.shortcut) out.push({ name: 'shortcut', conv: b.shortcut });
  for (const f of b.fusion) if (f.conv) out.push({ name: `fusion ${f.stride}`, conv: f.conv });
  return out;
}

/** Hover on `MixVarGENetConfig`: the stage in the network. */
export function stageSummaryMarkdown(s: AnalysisSnapshot, st: SnapshotStage): string {
  const total = s.params ?? s.knownParams;
  const totalMacs = s.macs ?? s.knownMacs;
  const out: string[] = [];
  out.push(`**Stage ${st.index}** of ${s.stages.length} · ${fmtShape(st.inShape)} → **${fmtShape(st.outShape)}**${st.outputStride !== null ? ` · output stride ${st.outputStride}` : ''}`);
  out.push('');
  out.push(
    `${st.params !== null ? thousands(st.params) : '≥ ' + thousands(st.knownParams)} params (${pct(st.params ?? st.knownParams, total)} of the network) · ${st.macs !== null ? thousands(st.macs) : '≥ ' + thousands(st.knownMacs)} MACs (${pct(st.macs ?? st.knownMacs, totalMacs)})`,
  );
  out.push('');
  const rows = st.blocks.map((b) => [
    b.role === 'head' ? 'head' : `stack ${b.index}`,
    b.op,
    `${b.cin}→${b.mid}→${b.cout}`,
    String(b.stride),
    fmtShape(b.outShape),
    b.params !== null ? thousands(b.params) : '?',
    b.macs !== null ? thousands(b.macs) : '?',
  ]);
  for (const d of st.downsamples) rows.push([d.id.replace(/^stage\d+\./, ''), '3x3/s2 conv', `${d.cin}→${d.cout}`, '2', fmtShape(d.outShape), thousands(d.params), thousands(d.macs)]);
  if (rows.length) out.push(mdTable(['block', 'op', 'in→mid→out', 'stride', 'output', 'params', 'MACs'], rows, ['l', 'l', 'l', 'r', 'l', 'r', 'r']));
  const head = st.blocks[0];
  if (st.received && st.received.length) {
    out.push('', `**Fusion inputs arriving** (by position): ${st.received.map((m, i) => `${i}: ${fusionLabel(m)}`).join(' · ')}`);
  } else if (st.index > 0 && st.received === null) {
    out.push('', 'Receives a plain tensor (the previous stage emits no downsamples).');
  }
  if (head && head.fusion.length) {
    out.push('', ...head.fusion.map((f) => `- fusion_strides[${f.index}] = ${f.stride ?? '?'}${f.namedStage !== null ? ` names stage ${f.namedStage}` : ''}${f.map ? ` ← ${fusionLabel(f.map)}` : ''}${f.problem ? ` — ⚠ ${escapeMarkdown(f.problem)}` : ''}`));
  }
  if (st.emits.length) out.push('', `**Emits** for later fusion: ${st.emits.map((e) => `↓${e.scale} ${fmtShape(e.shape)}`).join(', ')}`);
  if (st.unknown.length) out.push('', `_Not fully known: ${escapeMarkdown([...new Set(st.unknown)].join('; '))}_`);
  return out.join('\n');
}

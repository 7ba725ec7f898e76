/**
 * Completion inside MixVarGENet configs, computed from the text around the cursor (scan.ts, so it
 * works while the line is half typed) and the network of the analysis (costs at this position).
 *
 * - field names inside `MixVarGENetConfig(` (missing required first, snippets with types)
 * - op names in `head_op="…"` and in `stack_ops=[…]` strings, each with what it costs here
 * - values of `stride`, `extra_downsample_num`, `stack_factor`, `in_channels`, `fusion_strides`
 * - `fusion_strides` entries valid at this stage (the maps that arrive, in order)
 * - a whole-stage snippet after the last stage of net_config
 */
import type { Range } from '../text';
import type { Shape } from '../model';
import { FIELDS, FIELD_BY_NAME, type FieldSpec, type OpSpec } from '../schema';
import type { Target } from '../extract';
import { blockAt, type BlockAt, receivedAfter, stackWidths, strideNaming } from './cost';
import { compact, fmtMacs, fmtShape, thousands } from '../format';
import { type IdeInput, configNames, fieldOfArg, fieldsGiven, isConfigCall, networkOf, scanAt, type StageFacts, stageFacts } from './locate';
import type { Frame, Scan } from './scan';
import { convTable, fusionLabel, opFlags, opSettingsTable } from './summary';
import { escapeMarkdown } from '../markdown';

/** `note`: nothing of ours fits here, and this says why (it inserts nothing; it keeps word suggestions away). */
export type ItemKind = 'field' | 'op' | 'value' | 'stage' | 'snippet' | 'note';

export interface IdeCompletionItem {
  label: string;
  /** Shown dimmed right after the label. */
  labelDetail?: string;
  /** Shown right-aligned. */
  labelDescription?: string;
  kind: ItemKind;
  detail?: string;
  /** Markdown. */
  documentation?: string;
  insertText: string;
  /** insertText is a snippet ($1, ${1:x}, ${1|a,b|}). */
  snippet?: boolean;
  /** Offsets the item replaces (the text typed so far). */
  range: Range;
  additionalEdits?: { range: Range; newText: string }[];
  sortText?: string;
  filterText?: string;
  preselect?: boolean;
  /** Rendered struck through: would crash at this position. */
  deprecated?: boolean;
}

export interface IdeCompletion {
  /** Which completion context the cursor is in (for tests and logs). */
  context: 'head_op' | 'stack_op' | 'field' | 'value' | 'fusion_strides' | 'stage';
  field?: string;
  stage: number | null;
  items: IdeCompletionItem[];
}

export interface CompletionOptions {
  target?: Target;
}

export function complete(inp: IdeInput, options: CompletionOptions = {}): IdeCompletion | null {
  const text = inp.analysis.text;
  if (!text.includes('MixVarGENetConfig') && !inp.analysis.extracted.mentionsConfig) return null;
  const sc = scanAt(inp);
  const cur = sc.cursor;
  if (cur.comment) return null;
  const names = configNames(inp.analysis);
  const f = cur.frame;
  if (!f) return null;
  const target = options.target ?? inp.analysis.target;
  const wordRange: Range = cur.word && !cur.string ? { start: cur.word.start, end: cur.word.end } : { start: inp.offset, end: inp.offset };

  if (cur.string) {
    const s = cur.string;
    const strRange: Range = { start: s.contentStart, end: s.terminated ? s.contentEnd : wordEnd(text, inp.offset, s.contentEnd) };
    const closeQuote = s.terminated ? '' : s.quote;
    if (isConfigCall(f, names) && fieldOfArg(f, cur.argIndex) === 'head_op') {
      const facts = stageFacts(inp, sc, f);
      return { context: 'head_op', field: 'head_op', stage: facts.index, items: opItems(inp, facts, { kind: 'head' }, strRange, (op) => op + closeQuote, target, s.value) };
    }
    if ((f.kind === '[' || (f.kind === '(' && !f.callee)) && isConfigCall(f.parent, names) && fieldOfArg(f.parent!, f.argIndex) === 'stack_ops') {
      const facts = stageFacts(inp, sc, f.parent!);
      const pos = stackPosition(f, cur.argIndex);
      return { context: 'stack_op', field: 'stack_ops', stage: facts.index, items: opItems(inp, facts, pos, strRange, (op) => op + closeQuote, target, s.value) };
    }
    return null;
  }

  if (isConfigCall(f, names)) {
    const arg = f.args[cur.argIndex];
    const facts = stageFacts(inp, sc, f);
    if (cur.inValue && arg?.kw) {
      const items = valueItems(inp, sc, f, arg.kw, facts, wordRange, target);
      return items ? { context: 'value', field: arg.kw, stage: facts.index, items } : null;
    }
    if (cur.atArgStart) {
      const items = fieldItems(inp, f, facts, wordRange);
      return { context: 'field', stage: facts.index, items: items.length ? items : [note('every field of MixVarGENetConfig is given', 'Nothing is left to add to this stage: each of its 8 fields is set (see the hover on a field for what it means here).', wordRange)] };
    }
    return null;
  }

  if (f.kind === '[' && isConfigCall(f.parent, names) && cur.atArgStart) {
    const field = fieldOfArg(f.parent!, f.argIndex);
    const facts = stageFacts(inp, sc, f.parent!);
    if (field === 'stack_ops') {
      const pos = stackPosition(f, cur.argIndex);
      return { context: 'stack_op', field, stage: facts.index, items: opItems(inp, facts, pos, wordRange, (op) => JSON.stringify(op), target, '') };
    }
    if (field === 'fusion_strides') {
      const items = fusionEntryItems(f, cur.argIndex, facts, wordRange, text);
      return { context: 'fusion_strides', field, stage: facts.index, items: items.length ? items : [fusionNote(facts, wordRange)] };
    }
    return null;
  }

  if (f.kind === '[' && (cur.atArgStart || afterClosedItem(text, f, cur.argIndex, wordRange.start))) {
    const items = stageItems(inp, sc, f, wordRange);
    if (items) return { context: 'stage', stage: null, items };
  }
  return null;
}

/** The cursor follows a complete item of a list with no comma yet (`[...]` then only blanks or comments). */
function afterClosedItem(text: string, list: Frame, argIndex: number, offset: number): boolean {
  const items = list.children.filter((c) => c.argIndex === argIndex);
  const last = items[items.length - 1];
  if (!last || last.close === null || last.close >= offset) return false;
  return /^(?:\s|#[^\n]*)*$/.test(text.slice(last.close + 1, offset));
}

function wordEnd(text: string, from: number, limit: number): number {
  let i = from;
  while (i < limit && /[\w.-]/.test(text[i])) i++;
  return i;
}

interface Position {
  kind: 'head' | 'stack';
  /** Stack index (0-based in stack_ops). */
  index?: number;
  count?: number;
}

function stackPosition(list: Frame, argIndex: number): Position {
  const written = list.args.filter((a) => a.first !== undefined).length;
  return { kind: 'stack', index: argIndex, count: Math.max(written, argIndex + 1, 1) };
}

interface OpAt {
  spec: OpSpec;
  block: BlockAt | null;
  /** What the position is, for the docs. */
  where: string;
  group: number;
}

function opAtPosition(inp: IdeInput, facts: StageFacts, pos: Position, spec: OpSpec, target: Target): OpAt {
  const stageName = facts.index !== null ? `stage ${facts.index}` : 'this stage';
  let block: BlockAt | null = null;
  let where: string;
  if (pos.kind === 'head') {
    where = `${stageName} head block`;
    if (facts.inChannels !== null && facts.outChannels !== null && facts.stride !== null) {
      block = blockAt(spec.name, spec, facts.inChannels, facts.outChannels, facts.stride, facts.inShape, facts.bias);
    }
  } else {
    const i = pos.index ?? 0;
    const n = pos.count ?? 1;
    where = `${stageName} stack block ${i + 1} of ${n}`;
    if (facts.outChannels !== null) {
      const { cin, cout } = stackWidths(facts.outChannels, facts.stackFactor, i, n);
      // Stack blocks run at stride 1 on the head's output size.
      let inShape: Shape | null = null;
      const headOut = facts.stage?.blocks[0]?.outShape ?? null;
      const prevBlockOut = facts.stage?.blocks[i]?.outShape ?? null;
      if (prevBlockOut && prevBlockOut[0] === cin) inShape = prevBlockOut;
      else if (headOut) inShape = [cin, headOut[1], headOut[2]];
      else if (facts.inShape && facts.stride) inShape = [cin, Math.ceil(facts.inShape[1] / facts.stride), Math.ceil(facts.inShape[2] / facts.stride)];
      block = blockAt(spec.name, spec, cin, cout, 1, inShape, facts.bias);
    }
  }
  let group = 0;
  if (block && block.problems.length) group = 3;
  else if (target === 'J5' && !spec.j5) group = 2;
  else if (block && block.notes.length) group = 1;
  return { spec, block, where, group };
}

function opDoc(at: OpAt, facts: StageFacts, target: Target): string {
  const { spec, block } = at;
  const out: string[] = [];
  out.push(`**${escapeMarkdown(spec.name)}** · ${opFlags(spec)}${target === 'J5' && !spec.j5 ? ' — ⚠ the J5 toolkit does not ship this op' : ''}`);
  if (spec.doc) out.push('', spec.doc);
  if (block) {
    const inS = block.conv1.inShape;
    out.push(
      '',
      `**Here** (${at.where}${facts.strideAssumed && at.where.includes('head') ? `, assuming stride ${facts.stride}` : ''}): ${block.cin} → ${block.mid} → ${block.cout}, stride ${block.stride}${inS ? `, ${fmtShape(inS)} → ${fmtShape(block.outShape)}` : ''}`,
    );
    const convs = [
      { name: 'conv1', conv: block.conv1 },
      { name: 'conv2', conv: block.conv2 },
      ...(block.shortcut ? [{ name: 'shortcut', conv: block.shortcut }] : []),
    ];
    out.push('', convTable(convs));
    out.push('', `Block: **${block.params !== null ? thousands(block.params) : '?'} params · ${block.macs !== null ? thousands(block.macs) : '?'} MACs**`);
    for (const p of block.problems) out.push('', `✗ ${escapeMarkdown(p)} — HAT fails to build this block.`);
    for (const p of block.notes) out.push('', `⚠ ${escapeMarkdown(p)}`);
  } else out.push('', `_Cost here unknown: ${at.where}'s channels are not known yet._`);
  // The op's settings last: what it is everywhere, after what it becomes here.
  out.push('', '**Settings**', '', opSettingsTable(spec));
  return out.join('\n');
}

/**
 * Right after the op's name, dimmed: its mark first (J5, not J5, …: the suggest widget cuts a right-aligned
 * description first, so the mark is not put there), then what the block costs at this position (its total).
 */
function opLabelDetail(at: OpAt, mark: string): string | undefined {
  const b = at.block;
  const head = mark ? `  ${mark}` : '';
  if (b && b.problems.length) return '  ✗ crashes here';
  if (!b) return head || undefined;
  return `${head}${head ? ' · ' : '  '}${b.params !== null ? compact(b.params) : '?'} params · ${b.macs !== null ? fmtMacs(b.macs) : '?'}`;
}

function opItems(
  inp: IdeInput,
  facts: StageFacts,
  pos: Position,
  range: Range,
  insert: (op: string) => string,
  target: Target,
  current: string,
): IdeCompletionItem[] {
  const specs = inp.ops.all();
  // The op to preselect: what is there, else the previous block's op.
  let preferred: string | undefined;
  if (current && inp.ops.has(current)) preferred = current;
  else if (pos.kind === 'stack') {
    const s = facts.stage;
    preferred = (pos.index ?? 0) > 0 ? s?.stackOps[(pos.index ?? 0) - 1] : (s?.headOp ?? undefined);
  } else preferred = facts.prev?.headOp ?? undefined;
  if (preferred && !inp.ops.has(preferred)) preferred = undefined;
  return specs.map((spec, k) => {
    const at = opAtPosition(inp, facts, pos, spec, target);
    const mark = spec.j5 ? 'J5' : target === 'J5' ? 'not J5' : spec.reparam ? 'rep' : '';
    return {
      label: spec.name,
      labelDetail: opLabelDetail(at, mark),
      kind: 'op',
      detail: at.block
        ? `${at.where}: ${at.block.cin}→${at.block.mid}→${at.block.cout}, ${at.block.params !== null ? thousands(at.block.params) : '?'} params, ${at.block.macs !== null ? fmtMacs(at.block.macs) : '?'}`
        : at.where,
      documentation: opDoc(at, facts, target),
      insertText: insert(spec.name),
      range,
      sortText: `${at.group}_${String(k).padStart(3, '0')}`,
      filterText: spec.name,
      preselect: spec.name === preferred || undefined,
      deprecated: at.group === 3 || undefined,
    };
  });
}

function snippetDefault(field: FieldSpec, facts: StageFacts, inp: IdeInput, call?: Frame): string {
  const esc = (s: string) => s.replace(/[$}\\]/g, '\\$&');
  switch (field.name) {
    case 'in_channels':
      return `in_channels=\${1:${facts.prev?.outChannels ?? facts.inChannels ?? 32}}`;
    case 'out_channels': {
      const cin = facts.inChannels ?? facts.prev?.outChannels ?? 32;
      return `out_channels=\${1:${facts.index === 0 ? cin : cin * (facts.stride === 1 ? 1 : 2)}}`;
    }
    case 'head_op': {
      const choices = rankedOps(inp, facts, { kind: 'head' });
      return `head_op="\${1|${choices.map(esc).join(',')}|}"`;
    }
    case 'stack_ops':
      return 'stack_ops=[$1]';
    case 'stride':
      return facts.index === 0 ? 'stride=${1|1,2|}' : 'stride=${1|2,1|}';
    case 'stack_factor':
      return 'stack_factor=${1:1}';
    case 'fusion_strides': {
      const valid = facts.received ? facts.received.map(strideNaming) : [];
      return `fusion_strides=[\${1:${valid.join(', ')}}]`;
    }
    case 'extra_downsample_num':
      return 'extra_downsample_num=${1|0,1,2,3|}';
    default:
      void call;
      return field.snippet;
  }
}

/** Ops that build at this position first (J5 ones first when targeting J5), then the rest. */
function rankedOps(inp: IdeInput, facts: StageFacts, pos: Position): string[] {
  const target = inp.analysis.target;
  const ranked = inp.ops.all().map((spec, k) => ({ spec, k, at: opAtPosition(inp, facts, pos, spec, target) }));
  ranked.sort((x, y) => x.at.group - y.at.group || x.k - y.k);
  const prevHead = facts.prev?.headOp;
  const names = ranked.map((r) => r.spec.name);
  if (prevHead && names.includes(prevHead)) {
    const i = names.indexOf(prevHead);
    if (ranked[i].at.group === 0) {
      names.splice(i, 1);
      names.unshift(prevHead);
    }
  }
  return names;
}

function stageContext(facts: StageFacts): string {
  if (facts.index === null) return '';
  const parts = [`stage ${facts.index}`];
  if (facts.inShape) parts.push(`input ${fmtShape(facts.inShape)}`);
  return parts.join(', ');
}

function fieldHere(field: string, facts: StageFacts): string | undefined {
  switch (field) {
    case 'in_channels':
      if (facts.index === 0) return `Stage 0's in_channels also sets the stem conv's width (3 → in_channels, 3x3/s2).`;
      return facts.prev?.outChannels !== null && facts.prev?.outChannels !== undefined
        ? `Here: the previous stage (stage ${facts.prev.index}) outputs **${facts.prev.outChannels}** channels.`
        : undefined;
    case 'stride':
      return facts.inShape ? `Here: the input is ${fmtShape(facts.inShape)}; stride 2 halves it to ${Math.ceil(facts.inShape[1] / 2)}×${Math.ceil(facts.inShape[2] / 2)}.` : undefined;
    case 'fusion_strides':
      return fusionHere(facts);
    default:
      return undefined;
  }
}

function fusionHere(facts: StageFacts): string | undefined {
  if (facts.received === undefined) return undefined;
  if (facts.received === null || facts.received.length === 0) {
    return facts.index !== null && facts.index > 0
      ? `Here: no maps arrive (stage ${facts.index - 1} emits no downsamples), so fusion_strides must be empty. Set \`extra_downsample_num\` on an earlier stage to fuse.`
      : 'Here: no maps arrive, so fusion_strides must be empty.';
  }
  return `Here: ${facts.received.map((m, i) => `position ${i} receives ${fusionLabel(m)} → write ${strideNaming(m)}`).join('; ')}. Valid: \`[${facts.received.map(strideNaming).join(', ')}]\`.`;
}

function fieldDoc(field: FieldSpec, facts: StageFacts): string {
  const out = [`**${field.name}**: \`${field.pythonType}\`${field.required ? ' (required)' : ` = ${JSON.stringify(field.default ?? null)}`}`, '', field.description];
  const here = fieldHere(field.name, facts);
  if (here) out.push('', here);
  return out.join('\n');
}

function fieldItems(inp: IdeInput, call: Frame, facts: StageFacts, range: Range): IdeCompletionItem[] {
  const given = fieldsGiven(call);
  // The word being typed is not "given" yet.
  const typing = inp.analysis.text.slice(range.start, range.end);
  given.delete(typing);
  const missing = FIELDS.filter((f) => !given.has(f.name));
  const items: IdeCompletionItem[] = missing.map((f) => {
    const order = FIELDS.indexOf(f);
    return {
      label: f.name,
      labelDetail: `: ${f.pythonType}`,
      labelDescription: f.required ? 'required' : `default ${JSON.stringify(f.default ?? null)}`,
      kind: 'field',
      detail: `${f.name}: ${f.pythonType}${f.required ? '' : ` = ${JSON.stringify(f.default ?? null)}`}${stageContext(facts) ? ` — ${stageContext(facts)}` : ''}`,
      documentation: fieldDoc(f, facts),
      insertText: snippetDefault(f, facts, inp, call),
      snippet: true,
      range,
      sortText: `${f.required ? 0 : 1}_${order}`,
      filterText: f.name,
    };
  });
  const missingRequired = missing.filter((f) => f.required);
  if (missingRequired.length >= 2) {
    // One item that fills every missing field, in the dataclass's order.
    let tab = 1;
    const parts = missing.map((f) => {
      const s = snippetDefault(f, facts, inp, call)
        .replace(/\$\{1([:|])/g, (_m, p: string) => `\${${tab}${p}`)
        .replace(/\$1\b/g, () => `$${tab}`);
      tab++;
      return s;
    });
    items.unshift({
      label: 'all missing fields',
      labelDescription: `${missing.length} fields`,
      kind: 'snippet',
      detail: `MixVarGENetConfig: ${missing.map((f) => f.name).join(', ')}`,
      documentation: `Fills ${missing.map((f) => `\`${f.name}\``).join(', ')} with values that chain from the previous stage.`,
      insertText: parts.join(', '),
      snippet: true,
      range,
      sortText: '0_',
      filterText: typing || 'all missing fields',
    });
  }
  return items;
}

function valueItems(inp: IdeInput, sc: Scan, call: Frame, field: string, facts: StageFacts, range: Range, target: Target): IdeCompletionItem[] | null {
  const v = (label: string, documentation: string, sortText: string, extra: Partial<IdeCompletionItem> = {}): IdeCompletionItem => ({
    label,
    kind: 'value',
    documentation,
    insertText: label,
    range,
    sortText,
    ...extra,
  });
  switch (field) {
    case 'head_op':
      return opItems(inp, facts, { kind: 'head' }, range, (op) => JSON.stringify(op), target, '');
    case 'stack_ops': {
      const head = facts.stage?.headOp ?? undefined;
      const items = [v('[]', 'No stack blocks: the stage is its head block only.', '1')];
      if (head) {
        items.unshift(
          v(`["${head}"] * 2`, `Two stack blocks with the head's op \`${head}\`.`, '0', {
            insertText: `["${head}"] * \${1:2}`,
            snippet: true,
            preselect: true,
          }),
        );
      }
      return items;
    }
    case 'stride': {
      const doc = (s: number) => {
        const shape = facts.inShape ? `${Math.ceil(facts.inShape[1] / s)}×${Math.ceil(facts.inShape[2] / s)}` : '';
        const outStride = facts.prev?.outputStride ? facts.prev.outputStride * s : facts.index === 0 ? 2 * s : null;
        return `stride=${s}${outStride ? ` → output stride ${outStride}` : ''}${shape ? `, ${shape} map` : ''}.${s === 1 && facts.index !== 0 ? ' Canonically only stage 0 uses stride 1.' : ''}`;
      };
      const canonical = facts.index === 0 ? 1 : 2;
      return [1, 2].map((s) => v(String(s), doc(s), String(s === canonical ? 0 : 1), { preselect: s === canonical || undefined }));
    }
    case 'extra_downsample_num': {
      return [0, 1, 2, 3].map((k) => {
        const out = facts.stage?.outShape ?? null;
        const shapes: string[] = [];
        let h = out?.[1];
        let w = out?.[2];
        for (let j = 0; j < k; j++) {
          if (h !== undefined && w !== undefined) {
            h = Math.floor((h - 1) / 2) + 1;
            w = Math.floor((w - 1) / 2) + 1;
            shapes.push(`↓${2 ** (j + 1)} ${out![0]}×${h}×${w}`);
          } else shapes.push(`↓${2 ** (j + 1)}`);
        }
        const isLast = facts.index !== null && facts.index === facts.stageCount - 1;
        const doc =
          k === 0
            ? 'Emit nothing: the next stage receives a plain tensor.'
            : `Emit ${shapes.join(', ')} for the fusion inputs of the following stages' heads.${isLast ? ' ⚠ This is the last stage: with the classifier head (include_top) the head receives a list and crashes.' : ' The next stage must then list them in fusion_strides (unfused maps are dropped).'}`;
        return v(String(k), doc, String(k), { preselect: k === 0 || undefined });
      });
    }
    case 'stack_factor':
      return [1, 2].map((k) =>
        v(String(k), k === 1 ? 'No widening of the stack.' : `The middle of the stack runs at ${k}× out_channels${facts.outChannels ? ` (${k * facts.outChannels})` : ''}. Ignored with fewer than two stack ops.`, String(k)),
      );
    case 'in_channels': {
      const p = facts.prev?.outChannels;
      if (p === null || p === undefined) return null;
      return [v(String(p), `The previous stage (stage ${facts.prev!.index}) outputs ${p} channels.`, '0', { preselect: true })];
    }
    case 'out_channels': {
      const cin = facts.inChannels;
      if (!cin) return null;
      const cands = [...new Set([cin, cin * 2, Math.round((cin * 1.5) / 16) * 16].filter((c) => c > 0))];
      return cands.map((c, k) => v(String(c), `${c} channels (${(c / cin).toFixed(2).replace(/\.?0+$/, '')}× in_channels)${c % 16 === 0 ? '' : c % 8 === 0 ? ' — a multiple of 8; group ops prefer 16' : ' — not a multiple of 8: the BPU pads it'}.`, String(k)));
    }
    case 'fusion_strides': {
      if (facts.received === undefined) return null;
      const valid = (facts.received ?? []).map(strideNaming);
      return [v(`[${valid.join(', ')}]`, fusionHere(facts) ?? '', '0', { preselect: true })];
    }
    default:
      void sc;
      void call;
      return null;
  }
}

/** An item that inserts nothing and says why nothing of ours fits at the cursor. */
function note(label: string, why: string, range: Range): IdeCompletionItem {
  return { label: `(${label})`, kind: 'note', detail: why, documentation: why, insertText: '', range: { start: range.start, end: range.start }, sortText: '~', filterText: '' };
}

/** Why no stride fits in fusion_strides here, and what would make one arrive. */
function fusionNote(facts: StageFacts, range: Range): IdeCompletionItem {
  if (!facts.received || facts.received.length === 0) {
    const prev = facts.index !== null && facts.index > 0 ? `stage ${facts.index - 1}` : 'an earlier stage';
    return note(
      'no fusion map arrives at this stage',
      `Nothing arrives here to fuse: a map arrives only from a stage with extra_downsample_num > 0. Set extra_downsample_num on ${prev} (or earlier) to send its output here, or leave fusion_strides empty.`,
      range,
    );
  }
  return note('every arriving map is already listed', `fusion_strides already lists ${facts.received.map(strideNaming).join(', ')}, one per map that arrives, in order.`, range);
}

function fusionEntryItems(list: Frame, argIndex: number, facts: StageFacts, range: Range, text: string): IdeCompletionItem[] {
  if (!facts.received || facts.received.length === 0) return [];
  const written = new Set(
    list.args
      .filter((a, i) => i !== argIndex && a.first !== undefined)
      .map((a) => text.slice(a.start, a.end).trim())
      .filter((s) => /^\d+$/.test(s)),
  );
  return facts.received
    .map((m, j) => ({ m, j, value: String(strideNaming(m)) }))
    .filter((x) => !written.has(x.value))
    .map(({ m, j, value }) => ({
      label: value,
      labelDescription: `position ${j}`,
      kind: 'value' as const,
      detail: `${fusionLabel(m)} arrives in position ${j}`,
      documentation: `Position ${j} of the maps this head receives is **${fusionLabel(m)}**: the output of stage ${m.fromStage} (stride ${strideNaming(m)}), downsampled ${m.scale}×. fusion_strides must list ${facts.received!.map(strideNaming).join(', ')} in this order.`,
      insertText: value,
      range,
      sortText: String(j).padStart(2, '0'),
      preselect: j === argIndex || undefined,
    }));
}

/** The stage snippet after the last stage of net_config (or as its first stage). */
function stageItems(inp: IdeInput, sc: Scan, list: Frame, range: Range): IdeCompletionItem[] | null {
  const names = configNames(inp.analysis);
  const text = inp.analysis.text;
  const containsConfig = (fr: Frame): boolean => isConfigCall(fr, names) || fr.children.some(containsConfig);
  const stageFrames = list.children.filter(containsConfig);
  let inner = false;
  let outer = list;
  // Typing inside a new, empty stage list: `[|]` within net_config.
  if (stageFrames.length === 0 && list.parent && list.parent.kind === '[' && list.parent.children.filter(containsConfig).length > 0) {
    inner = true;
    outer = list.parent;
  } else if (stageFrames.length === 0 && list.assignTarget !== 'net_config') return null;
  const stagesOfOuter = outer.children.filter(containsConfig);
  if (stagesOfOuter.some((fr) => fr.open > inp.offset)) return null; // not after the last stage
  const net = networkOf(inp);
  const lastFrame = stagesOfOuter[stagesOfOuter.length - 1];
  const last = net?.stages[net.stages.length - 1];
  const index = net ? net.stages.length : 0;
  const first = !last;
  const cin = last?.outChannels ?? 32;
  const stride = first ? 1 : 2;
  const cout = first ? 32 : cin * 2;
  const outStride = first ? 2 : last?.outputStride ? last.outputStride * 2 : null;
  const facts: StageFacts = {
    index,
    stageCount: index + 1,
    prev: last,
    inChannels: cin,
    outChannels: cout,
    stride,
    strideAssumed: false,
    inShape: last?.outShape ?? net?.stem?.outShape ?? null,
    stackFactor: 1,
    stackCount: 0,
    bias: net?.args.bias ?? false,
    received: net ? (net.routingKnown ? receivedAfter(net.stages) : undefined) : null,
    network: net,
  };
  const ops = rankedOps(inp, facts, { kind: 'head' });
  const headDefault = last?.headOp && ops.includes(last.headOp) ? last.headOp : ops[0];
  const choice = [headDefault, ...ops.filter((o) => o !== headDefault)];
  const fusion = facts.received && facts.received.length ? facts.received.map(strideNaming).join(', ') : '';
  const callText = `MixVarGENetConfig(in_channels=${cin}, out_channels=\${1:${cout}}, head_op="\${2|${choice.join(',')}|}", stack_ops=[\${3}],`;
  const rest = `stack_factor=1, stride=${stride}, fusion_strides=[\${4:${fusion}}], extra_downsample_num=\${5:0})`;
  // Follow the layout of the previous stage: one line, or continuation lines aligned after the `(`.
  const lastText = lastFrame ? text.slice(lastFrame.open, lastFrame.close ?? lastFrame.open) : '';
  const multiLine = lastText.includes('\n');
  const prefix = inner ? '' : '[';
  const sep = multiLine ? '\n' + ' '.repeat(prefix.length + 'MixVarGENetConfig('.length) : ' ';
  // Trailing comma like the previous stage.
  const lastEnd = lastFrame && lastFrame.close !== null ? lastFrame.close + 1 : null;
  const between = lastEnd !== null ? text.slice(lastEnd, range.start) : '';
  const hasComma = /^\s*(#[^\n]*\n\s*)*,/.test(between) || between.includes(',');
  const additionalEdits = lastEnd !== null && !hasComma && !inner ? [{ range: { start: lastEnd, end: lastEnd }, newText: ',' }] : undefined;
  const insertText = `${prefix}${callText}${sep}${rest}${inner ? '' : '],'}$0`;
  // Cost of the default stage (head only).
  const spec = inp.ops.get(headDefault);
  const blk = spec ? blockAt(headDefault, spec, cin, cout, stride, facts.inShape, facts.bias) : null;
  const doc: string[] = [
    `A new **stage ${index}** chained to ${first ? 'the stem' : `stage ${index - 1} (out_channels=${cin}${last?.outputStride ? `, stride ${last.outputStride}` : ''})`}:`,
    '',
    `in_channels=${cin}, stride=${stride}${outStride ? ` → output stride **${outStride}**` : ''}${blk?.outShape ? `, output ${fmtShape(blk.outShape)}` : ''}.`,
  ];
  if (blk && blk.params !== null) doc.push('', `Head block \`${headDefault}\` alone: ${thousands(blk.params)} params, ${fmtMacs(blk.macs)}.`);
  if (fusion) doc.push('', `fusion_strides prefilled with the maps that arrive: [${fusion}].`);
  if (last && last.extraDownsampleNum === 0 && net?.args.includeTop) doc.push('', 'With include_top, the last stage feeds the classifier head (AvgPool2d(7) needs a 7×7 map).');
  return [
    {
      label: `stage ${index}${outStride ? ` (stride ${outStride})` : ''}`,
      labelDescription: 'MixVarGENet stage',
      kind: 'stage',
      detail: `MixVarGENetConfig(in_channels=${cin}, out_channels=${cout}, head_op="${headDefault}", stride=${stride})`,
      documentation: doc.join('\n'),
      insertText,
      snippet: true,
      range,
      additionalEdits,
      sortText: '0',
      filterText: `MixVarGENetConfig stage ${index}`,
      preselect: true,
    },
  ];
}

/** Markdown of a field's documentation (used by hover too). */
export function fieldMarkdown(name: string, facts?: StageFacts): string | undefined {
  const f = FIELD_BY_NAME.get(name);
  if (!f) return undefined;
  return facts ? fieldDoc(f, facts) : [`**${f.name}**: \`${f.pythonType}\`${f.required ? ' (required)' : ` = ${JSON.stringify(f.default ?? null)}`}`, '', f.description].join('\n');
}

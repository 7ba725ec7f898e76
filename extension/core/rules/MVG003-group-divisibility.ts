import type { Rule, Finding, Fix, Related, RuleContext, TextEdit } from './types';
import type { Stage } from '../model';
import type { OpTable } from '../schema';
import { stackWidths } from '../model';
import { fieldValue } from './support/configs';
import { indexList, joinAnd, joinOr } from './support/wording';
import { ownLiteral } from './support/edits';
import { groupFailures, type GroupFailure } from './support/groups';

type Field = 'in_channels' | 'out_channels';

/** A group conv nn.Conv2d refuses, in one block of a stage, and the field whose width causes it. */
interface Hit {
  stage: number;
  role: 'head' | 'stack';
  /** Block index in the stage (0: the head block). */
  index: number;
  op: string;
  opRange?: { start: number; end: number };
  /** The block's widths. */
  bcin: number;
  bcout: number;
  fail: GroupFailure;
  field: Field;
}

/**
 * The field to change: stack widths all come from out_channels; the head block's conv1 groups from
 * in_channels (unless its middle width is out_channels, for a factor-1 op, and that is what does not
 * split), its conv2 groups from out_channels.
 */
function causeOf(role: Hit['role'], factor: number, fail: GroupFailure): Field {
  if (role === 'stack') return 'out_channels';
  if (fail.conv === 'conv2') return 'out_channels';
  return fail.which === 'out' && factor === 1 ? 'out_channels' : 'in_channels';
}

/** What a stage's blocks are built from, with one width changed. */
interface Widths {
  headOp: string | null;
  stackOps: string[];
  factor: number;
  inC: number;
  outC: number;
}

function widthsOf(st: Stage): Widths | undefined {
  if (st.inChannels === null || st.outChannels === null) return undefined;
  return { headOp: st.headOp, stackOps: st.stackOps, factor: st.stackFactor ?? 1, inC: st.inChannels, outC: st.outChannels };
}

/** The group convs a stage of these widths would get refused, with their causes. */
function hitsOf(ops: OpTable, stage: number, w: Widths): Hit[] {
  const out: Hit[] = [];
  const add = (role: Hit['role'], index: number, op: string | null, cin: number, cout: number) => {
    const spec = op === null ? undefined : ops.get(op);
    if (!spec || op === null) return;
    for (const fail of groupFailures(spec, cin, cout)) out.push({ stage, role, index, op, bcin: cin, bcout: cout, fail, field: causeOf(role, spec.factor, fail) });
  };
  add('head', 0, w.headOp, w.inC, w.outC);
  w.stackOps.forEach((op, i) => {
    const { cin, cout } = stackWidths(w.outC, w.factor, i, w.stackOps.length);
    add('stack', i + 1, op, cin, cout);
  });
  return out;
}

/** The group convs of the network as the model built them. */
function networkHits(ctx: RuleContext): Hit[] {
  const out: Hit[] = [];
  for (const stage of ctx.net?.stages ?? []) {
    for (const b of stage.blocks) {
      if (!b.opSpec) continue;
      for (const fail of groupFailures(b.opSpec, b.cin, b.cout))
        out.push({ stage: stage.index, role: b.role, index: b.index, op: b.op, opRange: b.opRange, bcin: b.cin, bcout: b.cout, fail, field: causeOf(b.role, b.opSpec.factor, fail) });
    }
  }
  return out;
}

/** A width to offer, and the neighbouring field that changes with it to keep the channel chain. */
interface Candidate {
  width: number;
  linked?: { stage: number; field: Field };
}

const MAX_STEPS = 8;

/**
 * Widths for `field` of stage k that every group conv they feed can split: the neighbour's width
 * when it differs (one change then mends the chain too), then the nearest multiples of the group
 * base below and above. The neighbour changes along (linked) when its value differs from the width.
 */
function candidates(ctx: RuleContext, k: number, field: Field, base: number): Candidate[] {
  const net = ctx.net!;
  const own = widthsOf(net.stages[k]);
  if (!own) return [];
  const cur = field === 'in_channels' ? own.inC : own.outC;
  const nIdx = field === 'out_channels' ? k + 1 : k - 1;
  const nField: Field = field === 'out_channels' ? 'in_channels' : 'out_channels';
  const nStage = nIdx >= 0 ? net.stages[nIdx] : undefined;
  const nWidths = nStage ? widthsOf(nStage) : undefined;
  const nCur = nWidths ? (nField === 'in_channels' ? nWidths.inC : nWidths.outC) : undefined;
  const change = (w: Widths, f: Field, c: number): Widths => (f === 'in_channels' ? { ...w, inC: c } : { ...w, outC: c });
  const splits = (c: number): Candidate | undefined => {
    if (c <= 0 || c === cur) return undefined;
    if (hitsOf(ctx.ops, k, change(own, field, c)).some((h) => h.field === field)) return undefined;
    if (nWidths && nCur !== undefined && nCur !== c) {
      if (hitsOf(ctx.ops, nIdx, change(nWidths, nField, c)).some((h) => h.field === nField)) return undefined;
      return { width: c, linked: { stage: nIdx, field: nField } };
    }
    return { width: c };
  };
  const out: Candidate[] = [];
  const neighbour = nCur !== undefined && nCur !== cur ? splits(nCur) : undefined;
  if (neighbour) out.push(neighbour);
  const lo = Math.floor(cur / base);
  const hi = Math.ceil(cur / base);
  const near: Candidate[] = [];
  for (let d = 0; d < MAX_STEPS && (lo - d) * base >= base; d++) {
    const c = splits((lo - d) * base);
    if (c) {
      near.push(c);
      break;
    }
  }
  for (let d = 0; d < MAX_STEPS; d++) {
    const c = splits((hi + d) * base);
    if (c) {
      near.push(c);
      break;
    }
  }
  near.sort((a, b) => Math.abs(a.width - cur) - Math.abs(b.width - cur) || a.width - b.width);
  for (const c of near) if (!out.some((o) => o.width === c.width)) out.push(c);
  return out;
}

/** "the head block", "stack blocks 1–6", "the head block and stack block 2" */
function blocksText(hits: Hit[]): string {
  const head = hits.some((h) => h.role === 'head');
  const stack = [...new Set(hits.filter((h) => h.role === 'stack').map((h) => h.index))];
  const parts: string[] = [];
  if (head) parts.push('the head block');
  if (stack.length) parts.push(`${stack.length === 1 ? 'stack block' : 'stack blocks'} ${indexList(stack)}`);
  return joinAnd(parts);
}

const ERROR: Record<GroupFailure['which'], string> = {
  zero: 'ValueError: groups must be a positive integer',
  in: 'ValueError: in_channels must be divisible by groups',
  out: 'ValueError: out_channels must be divisible by groups',
};

function groupsText(f: GroupFailure): string {
  return `int(${f.source} / ${f.base}) = ${f.groups} ${f.groups === 1 ? 'group' : 'groups'}`;
}

/** Same conv, same widths, same failure. */
function sameFailure(a: Hit, b: Hit): boolean {
  return a.fail.conv === b.fail.conv && a.fail.cin === b.fail.cin && a.fail.cout === b.fail.cout && a.fail.groups === b.fail.groups && a.fail.which === b.fail.which;
}

const rule: Rule = {
  code: 'MVG003',
  name: 'group-divisibility',
  severity: 'error',
  category: 'crash',
  title: 'A group conv whose group count int(channels / 16) does not divide its channels',
  doc: `Group ops (\`*_gb16\`) give conv1 \`int(in_channels / 16)\` groups, and \`mixvarge_k3k3_f2_gb16\`
also gives conv2 \`int(out_channels / 16)\` groups. \`int()\` truncates, so a width that is not a
multiple of 16 can give a group count that does not divide the conv's channels, and a width
under 16 gives 0 groups. \`nn.Conv2d\` then refuses to build when HAT builds the model:

\`\`\`
ValueError: in_channels must be divisible by groups
ValueError: out_channels must be divisible by groups
ValueError: groups must be a positive integer
\`\`\`

The check covers conv1's input and middle widths, conv2's middle and output widths, the head
block and every stack block (including the \`stack_factor\`-widened ones).

**Bad**: \`out_channels=56\` with \`stack_ops=["mixvarge_f2_gb16"]\`: the stack block's conv1 gets
int(56 / 16) = 3 groups, and 56 is not divisible by 3.

**Good**: \`out_channels=48\` or \`64\` (multiples of 16), or a non-group op such as \`mixvarge_f2\`.

One mistake is reported once, where the width is written: a bad \`out_channels\` under six
\`gb16\` stack ops is one error on \`out_channels\`, with each block it breaks as a related location.

**Fix**: the quick fixes set the width to one that every group conv of the stage can split: the
width the neighbouring stage already has (the next stage's \`in_channels\`, the previous stage's
\`out_channels\`) when it works, and the nearest multiples of 16 that work, changing the neighbour
along with it so that the channel chain stays intact (MVG002). The fix that leaves no new error
comes first. Or use an op without \`gb16\`.`,
  check(ctx) {
    const net = ctx.net;
    if (!net) return [];
    // One finding per cause: the written width every failing conv comes from.
    const byCause = new Map<string, Hit[]>();
    for (const h of networkHits(ctx)) {
      const v = fieldValue(ctx.stageConfigs[h.stage], h.field);
      const key = v ? `${v.r.start}:${v.r.end}` : `${h.stage}|${h.field}`;
      const list = byCause.get(key) ?? [];
      list.push(h);
      byCause.set(key, list);
    }
    // A head block's in_channels chained to the previous stage's out_channels is the same width
    // written twice: when that out_channels breaks convs of its own stage too, one finding says both.
    for (const [key, hits] of [...byCause]) {
      const h = hits[0];
      if (h.field !== 'in_channels' || h.stage === 0) continue;
      const prev = fieldValue(ctx.stageConfigs[h.stage - 1], 'out_channels');
      if (!prev || net.stages[h.stage - 1]?.outChannels !== net.stages[h.stage].inChannels) continue;
      const into = byCause.get(`${prev.r.start}:${prev.r.end}`);
      if (!into || into === hits) continue;
      into.push(...hits);
      byCause.delete(key);
    }
    const out: Finding[] = [];
    for (const hits of byCause.values()) {
      const h0 = hits[0];
      const k = h0.stage;
      const stage = net.stages[k];
      const cfg = ctx.stageConfigs[k];
      const f = h0.fail;
      const value = fieldValue(cfg, h0.field);
      const width = h0.field === 'in_channels' ? stage.inChannels : stage.outChannels;
      const cands = candidates(ctx, k, h0.field, f.base);

      const headline =
        f.which === 'zero'
          ? `${f.source} channels make 0 groups of ${f.base} (stage ${k}, ${h0.op})`
          : `${f.failing} channels don't split into ${f.groups} groups (stage ${k}, ${h0.op})`;
      const same = hits.filter((h) => h.stage === k && sameFailure(h, h0));
      const divides = f.which === 'zero' ? ` (fewer than ${f.base} channels)` : f.failing !== f.source ? `, which do not divide its ${f.failing} ${f.which === 'in' ? 'input' : 'output'} channels` : '';
      const elsewhere = [...new Set(hits.filter((h) => h.stage !== k).map((h) => h.stage))].map((st) => `${blocksText(hits.filter((h) => h.stage === st))} of stage ${st}`);
      const also = elsewhere.length ? ` The same width breaks ${joinAnd(elsewhere)}.` : '';
      const works = cands.length ? ` ${joinOr(cands.map((c) => c.width).sort((a, b) => a - b).map(String))} would work.` : '';
      const message =
        `${headline}. ${h0.field}=${width}: ${f.conv} (${f.cin}→${f.cout}) of ${blocksText(same)} gets ${groupsText(f)}${divides}, and ` +
        `nn.Conv2d raises "${ERROR[f.which]}" when HAT builds the model.${also}${works}`;

      // Every block it breaks, where its op is written (["op"] * 6 is one place).
      const related: Related[] = [];
      const byOp = new Map<string, Hit[]>();
      for (const h of hits) {
        const r = h.opRange ?? ctx.stageConfigs[h.stage]?.callee ?? net.stages[h.stage].range;
        const key = `${r.start}:${r.end}`;
        byOp.set(key, [...(byOp.get(key) ?? []), h]);
      }
      for (const hs of byOp.values()) {
        const h = hs[0];
        const r = h.opRange ?? ctx.stageConfigs[h.stage]?.callee ?? net.stages[h.stage].range;
        related.push({ range: r, message: `stage ${h.stage}, ${blocksText(hs)} (${h.op}): ${h.fail.conv} ${h.fail.cin}→${h.fail.cout}, ${groupsText(h.fail)}` });
      }
      const addField = (field: string, message: string) => {
        const v = fieldValue(cfg, field);
        if (v && v !== value && !related.some((r) => r.range.start === v.r.start && r.range.end === v.r.end)) related.push({ range: v.r, message });
      };
      if (hits.some((h) => h.role === 'stack' && h.stage === k && (h.bcin !== stage.outChannels || h.bcout !== stage.outChannels)))
        addField('stack_factor', `stack_factor=${stage.stackFactor ?? '?'} widens the middle of the stack`);
      for (const st of new Set(hits.filter((h) => h.stage !== k && h.field === 'in_channels').map((h) => h.stage))) {
        const v = fieldValue(ctx.stageConfigs[st], 'in_channels');
        if (v) related.push({ range: v.r, message: `stage ${st} in_channels=${net.stages[st].inChannels} (the same width)` });
      }
      if (h0.role === 'head' && f.failing !== f.source) {
        const other: Field = h0.field === 'in_channels' ? 'out_channels' : 'in_channels';
        addField(other, `${other}=${other === 'in_channels' ? stage.inChannels : stage.outChannels}`);
      }

      const fixes: Fix[] = [];
      if (value && value.k === 'int' && value.literal && ownLiteral(ctx, cfg, value)) {
        for (const c of cands) {
          const edits: TextEdit[] = [{ range: value.r, newText: String(c.width) }];
          let title = `Set stage ${k} ${h0.field} to ${c.width}`;
          if (c.linked) {
            const ncfg = ctx.stageConfigs[c.linked.stage];
            const nv = fieldValue(ncfg, c.linked.field);
            // A neighbour that cannot be rewritten here: offer the width alone (MVG002 then says what remains).
            if (nv && nv.k === 'int' && nv.literal && ownLiteral(ctx, ncfg, nv)) {
              edits.push({ range: nv.r, newText: String(c.width) });
              title = `Set stage ${k} ${h0.field} and stage ${c.linked.stage} ${c.linked.field} to ${c.width}`;
            }
          }
          fixes.push({ title, edits, preferred: fixes.length === 0 });
        }
      }
      out.push({
        code: rule.code,
        severity: rule.severity,
        message,
        range: value?.r ?? h0.opRange ?? cfg?.callee ?? stage.range,
        related,
        stage: k,
        fixes: fixes.length ? fixes : undefined,
      });
    }
    return out;
  },
};

export default rule;

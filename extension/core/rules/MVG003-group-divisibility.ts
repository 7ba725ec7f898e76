import type { Rule, Finding, Related } from './types';
import type { Block, Conv } from '../model';
import { fieldValue } from './support/configs';
import { indexList } from './support/wording';
import { dedupeFindings } from './support/findings';

function isPosInt(n: number): boolean {
  return Number.isInteger(n) && n > 0;
}

/** Multiples of the group base around c (they always give a group count that divides c). */
function suggestion(c: number, base: number): string {
  if (c < base) return `at least ${base} channels are needed for one group`;
  const lo = Math.floor(c / base) * base;
  const hi = Math.ceil(c / base) * base;
  const opts = lo === hi ? [lo] : [lo, hi];
  return `multiples of ${base} such as ${opts.join(' or ')} divide evenly`;
}

interface Hit {
  block: Block;
  conv: Conv;
  which: 'in' | 'out' | 'zero';
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

**Fix**: change the width (and the next stage's \`in_channels\`) to a multiple of 16, or use an op
without \`gb16\`. There is no automatic fix: which width you meant is a design choice.`,
  check(ctx) {
    const net = ctx.net;
    if (!net) return [];
    const out: Finding[] = [];
    for (const stage of net.stages) {
      const cfg = ctx.stageConfigs[stage.index];
      // Group hits by where they are written and what they are, to report `["op"] * 6` once.
      const groups = new Map<string, Hit[]>();
      for (const block of stage.blocks) {
        const spec = block.opSpec;
        if (!spec) continue;
        const convs: [Conv, number | undefined][] = [
          [block.conv1, spec.conv1_group_base],
          [block.conv2, spec.conv2_group_base],
        ];
        for (const [conv, base] of convs) {
          if (!base) continue;
          if (!isPosInt(conv.cin) || !isPosInt(conv.cout) || !Number.isInteger(conv.groups)) continue;
          let which: Hit['which'] | undefined;
          if (conv.groups <= 0) which = 'zero';
          else if (conv.cin % conv.groups !== 0) which = 'in';
          else if (conv.cout % conv.groups !== 0) which = 'out';
          if (!which) continue;
          const r = block.opRange ?? cfg?.callee ?? stage.range;
          const key = `${r.start}:${r.end}|${block.role}|${conv.role}|${conv.cin}|${conv.cout}|${conv.groups}|${which}`;
          const list = groups.get(key) ?? [];
          list.push({ block, conv, which });
          groups.set(key, list);
        }
      }
      for (const hits of groups.values()) {
        const { block, conv, which } = hits[0];
        const spec = block.opSpec!;
        const isConv1 = conv.role === 'conv1';
        const base = (isConv1 ? spec.conv1_group_base : spec.conv2_group_base)!;
        // conv1's groups come from the block's input width, conv2's from its output width.
        const source = isConv1 ? block.cin : block.cout;
        const where =
          block.role === 'head'
            ? `the head block of stage ${stage.index}`
            : hits.length > 1
              ? `stack blocks ${indexList(hits.map((h) => h.block.index))} of stage ${stage.index}`
              : `stack block ${block.index} of stage ${stage.index}`;
        const groupsText = `int(${source} / ${base}) = ${conv.groups} ${conv.groups === 1 ? 'group' : 'groups'}`;
        let problem: string;
        let error: string;
        if (which === 'zero') {
          problem = `${groupsText} (${source} channels are fewer than the group base ${base})`;
          error = 'ValueError: groups must be a positive integer';
        } else if (which === 'in') {
          problem = `${groupsText}, and its ${conv.cin} input channels are not divisible by ${conv.groups}`;
          error = 'ValueError: in_channels must be divisible by groups';
        } else {
          problem = `${groupsText}, and its ${conv.cout} output channels are not divisible by ${conv.groups}`;
          error = 'ValueError: out_channels must be divisible by groups';
        }
        const failing = which === 'in' ? conv.cin : which === 'out' ? conv.cout : source;
        const hint = failing === source ? ` (${suggestion(source, base)})` : '';
        const message = `${block.op} in ${where}: ${isConv1 ? 'conv1' : 'conv2'} (${conv.cin}→${conv.cout}) has ${problem}: nn.Conv2d raises "${error}" when HAT builds the model${hint}.`;

        // Where the widths come from.
        const related: Related[] = [];
        const addField = (field: string, what: string) => {
          const v = fieldValue(cfg, field);
          if (v && !related.some((r) => r.range.start === v.r.start && r.range.end === v.r.end)) related.push({ range: v.r, message: what });
        };
        const width = (c: number) => (c === block.cin ? 'cin' : c === block.cout ? 'cout' : 'mid');
        const w = which === 'zero' ? (isConv1 ? 'cin' : 'cout') : width(failing);
        const fromField = (side: 'cin' | 'cout') => {
          if (block.role === 'head') addField(side === 'cin' ? 'in_channels' : 'out_channels', `${side === 'cin' ? 'in_channels' : 'out_channels'}=${side === 'cin' ? block.cin : block.cout}`);
          else {
            addField('out_channels', `out_channels=${stage.outChannels ?? '?'} sets the stack widths`);
            if ((side === 'cin' ? block.cin : block.cout) !== stage.outChannels) addField('stack_factor', `stack_factor=${stage.stackFactor ?? '?'} widens the middle of the stack`);
          }
        };
        if (w === 'mid') fromField(spec.factor === 1 ? 'cout' : 'cin');
        else fromField(w);
        if (w !== (isConv1 ? 'cin' : 'cout')) fromField(isConv1 ? 'cin' : 'cout');
        out.push({
          code: rule.code,
          severity: rule.severity,
          message,
          range: block.opRange ?? cfg?.callee ?? stage.range,
          related: related.length ? related : undefined,
          stage: stage.index,
        });
      }
    }
    return dedupeFindings(out);
  },
};

export default rule;

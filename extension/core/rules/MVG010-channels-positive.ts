import type { Rule, Finding, Fix } from './types';
import { isSeq } from '../python/values';
import type { ConfigValue, Value } from '../python/values';
import { configsToCheck, fieldValue, intLike } from './support/configs';
import { dedupeFindings } from './support/findings';
import { ownLiteral } from './support/edits';

type Width = 'in_channels' | 'out_channels';

/**
 * Widths to offer for a width that is not positive, nearest in the network first: in_channels
 * takes what the previous stage outputs, out_channels what the next stage takes; then the
 * config's other width (a stage that keeps its width).
 */
function widthChoices(stageConfigs: (ConfigValue | undefined)[], cfg: ConfigValue, stage: number | undefined, field: Width): { width: number; why: string }[] {
  const pos = (v: Value | undefined) => {
    const n = intLike(v);
    return n !== undefined && n > 0 ? n : undefined;
  };
  const out: { width: number; why: string }[] = [];
  if (stage !== undefined) {
    const nIdx = field === 'in_channels' ? stage - 1 : stage + 1;
    const nField: Width = field === 'in_channels' ? 'out_channels' : 'in_channels';
    const n = nIdx >= 0 ? pos(fieldValue(stageConfigs[nIdx], nField)) : undefined;
    if (n !== undefined) out.push({ width: n, why: `stage ${nIdx}'s ${nField}` });
  }
  const other = pos(fieldValue(cfg, field === 'in_channels' ? 'out_channels' : 'in_channels'));
  if (other !== undefined && !out.some((o) => o.width === other)) out.push({ width: other, why: `this stage's ${field === 'in_channels' ? 'out_channels' : 'in_channels'}` });
  return out;
}

const rule: Rule = {
  code: 'MVG010',
  name: 'channels-positive',
  severity: 'error',
  category: 'crash',
  title: 'in_channels, out_channels or stack_factor that is not positive',
  doc: `Every conv of a stage takes its width from \`in_channels\`, \`out_channels\` and (inside a stack
of two or more blocks) \`stack_factor × out_channels\`. A negative width fails when HAT builds
the model (\`RuntimeError: Trying to create tensor with negative dimension -32\`); a zero width
gives group ops 0 groups (\`ValueError: groups must be a positive integer\`) and leaves every other
conv with nothing to compute.

\`stack_factor\` is only used with two or more stack ops; with fewer it is ignored (see the
silent-change rules), so it is reported here only when it is used.

**Bad**: \`out_channels=0\`, \`in_channels=-32\`, \`stack_factor=0\` with \`stack_ops=["mixvarge_f2"] * 3\`.

**Good**: positive widths (multiples of 8, or 16 for group ops, suit the J5 BPU) and \`stack_factor >= 1\`.

**Fix**: the quick fixes set a width to what its neighbour in the channel chain has (the previous
stage's \`out_channels\` for \`in_channels\`, the next stage's \`in_channels\` for \`out_channels\`)
or to the config's other width, and \`stack_factor\` to 1.`,
  check(ctx) {
    const out: Finding[] = [];
    for (const { cfg, stage } of configsToCheck(ctx, 'evaluation')) {
      for (const field of ['in_channels', 'out_channels'] as const) {
        const v = cfg.args.get(field)?.value;
        const n = intLike(v);
        if (!v || n === undefined || n > 0) continue;
        const fixes: Fix[] = [];
        if (v.literal && ownLiteral(ctx, cfg, v))
          for (const c of widthChoices(ctx.stageConfigs, cfg, stage, field))
            fixes.push({ title: `Set ${field} to ${c.width} (${c.why})`, edits: [{ range: v.r, newText: String(c.width) }], preferred: fixes.length === 0 });
        out.push({
          code: rule.code,
          severity: rule.severity,
          message:
            n < 0
              ? `${field}=${n} is negative. nn.Conv2d raises "RuntimeError: Trying to create tensor with negative dimension ${n}" when HAT builds the model.`
              : `${field}=${ctx.text.slice(v.r.start, v.r.end)} gives no channels. Group ops get 0 groups ("ValueError: groups must be a positive integer") and the other convs have nothing to compute.`,
          range: v.r,
          stage,
          fixes: fixes.length ? fixes : undefined,
        });
      }
      const sf = cfg.args.get('stack_factor')?.value;
      const n = intLike(sf);
      const ops = cfg.args.get('stack_ops')?.value;
      if (!sf || n === undefined || n > 0 || !isSeq(ops) || ops.items.length < 2) continue;
      const o = intLike(cfg.args.get('out_channels')?.value);
      const width = o !== undefined ? `${n} × ${o} = ${n * o}` : `${n} × out_channels`;
      out.push({
        code: rule.code,
        severity: rule.severity,
        message:
          n < 0
            ? `stack_factor=${n} gives negative widths. The middle of the stack is ${width} channels wide: "RuntimeError: Trying to create tensor with negative dimension" when HAT builds the model.`
            : `stack_factor=${ctx.text.slice(sf.r.start, sf.r.end)} gives no channels. The middle of the stack is ${width} channels wide: the stack blocks have nothing to compute and group ops get 0 groups ("ValueError: groups must be a positive integer").`,
        range: sf.r,
        stage,
        fixes: sf.literal && ownLiteral(ctx, cfg, sf) ? [{ title: 'Set stack_factor to 1', edits: [{ range: sf.r, newText: '1' }], preferred: true }] : undefined,
      });
    }
    return dedupeFindings(out);
  },
};

export default rule;

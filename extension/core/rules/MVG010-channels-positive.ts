import type { Rule, Finding } from './types';
import { isSeq } from '../python/values';
import { configsToCheck, intLike } from './support/configs';
import { dedupeFindings } from './support/findings';

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

**Fix**: none automatic: set the width you meant.`,
  check(ctx) {
    const out: Finding[] = [];
    for (const { cfg, stage } of configsToCheck(ctx, 'evaluation')) {
      for (const field of ['in_channels', 'out_channels'] as const) {
        const v = cfg.args.get(field)?.value;
        const n = intLike(v);
        if (!v || n === undefined || n > 0) continue;
        out.push({
          code: rule.code,
          severity: rule.severity,
          message:
            n < 0
              ? `${field}=${n} is negative: nn.Conv2d raises "RuntimeError: Trying to create tensor with negative dimension ${n}" when HAT builds the model.`
              : `${field}=${ctx.text.slice(v.r.start, v.r.end)} gives the stage's convs 0 channels: group ops get 0 groups ("ValueError: groups must be a positive integer") and the rest have nothing to compute.`,
          range: v.r,
          stage,
        });
      }
      const sf = cfg.args.get('stack_factor')?.value;
      const n = intLike(sf);
      const ops = cfg.args.get('stack_ops')?.value;
      if (!sf || n === undefined || n > 0 || !isSeq(ops) || ops.items.length < 2) continue;
      const o = intLike(cfg.args.get('out_channels')?.value);
      const width = o !== undefined ? ` (${n} × ${o} = ${n * o} channels)` : '';
      out.push({
        code: rule.code,
        severity: rule.severity,
        message:
          n < 0
            ? `stack_factor=${n} makes the middle of the stack's widths negative${width}: "RuntimeError: Trying to create tensor with negative dimension" when HAT builds the model.`
            : `stack_factor=${ctx.text.slice(sf.r.start, sf.r.end)} makes the middle of the stack 0 channels wide${width}: the stack blocks have nothing to compute and group ops get 0 groups ("ValueError: groups must be a positive integer").`,
        range: sf.r,
        stage,
      });
    }
    return dedupeFindings(out);
  },
};

export default rule;

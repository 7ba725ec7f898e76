import type { Rule, Finding } from './types';
import { isSeq } from '../python/values';
import { configsToCheck, fieldValue } from './support/configs';
import { ownLiteral } from './support/edits';
import { joinAnd } from './support/wording';

const rule: Rule = {
  code: 'MVG104',
  name: 'stack-factor-ignored',
  severity: 'warning',
  category: 'silent',
  title: 'stack_factor > 1 with fewer than two stack ops is ignored',
  doc: `\`stack_factor\` widens the *middle* of a stage's stack: with two or more stack ops, the first goes
out→factor·out, the middle ones stay at factor·out and the last comes back to out. With zero or one stack
op there is no middle, and HAT builds every block at \`out_channels\`: the factor is silently ignored,
and the stage is narrower (fewer params, fewer MACs) than the config suggests.

**Bad**

\`\`\`python
MixVarGENetConfig(..., stack_ops=["mixvarge_f2_gb16"], stack_factor=2, ...)
\`\`\`

**Good**

\`\`\`python
MixVarGENetConfig(..., stack_ops=["mixvarge_f2_gb16"], stack_factor=1, ...)
# or, to really widen: at least two stack ops
MixVarGENetConfig(..., stack_ops=["mixvarge_f2_gb16"] * 2, stack_factor=2, ...)
\`\`\`

**Fix**: the quick fix sets \`stack_factor=1\` (what HAT builds anyway).`,
  check(ctx) {
    // One finding per written value: a helper that builds several stages shares one literal.
    const byRange = new Map<string, { f: Finding; factor: number; stages: number[]; counts: Set<number> }>();
    for (const { cfg, stage } of configsToCheck(ctx, 'stage')) {
      const sf = fieldValue(cfg, 'stack_factor');
      const so = fieldValue(cfg, 'stack_ops');
      if (!sf || sf.k !== 'int' || sf.v <= 1 || !so || !isSeq(so) || so.items.length >= 2) continue;
      const n = so.items.length;
      const key = `${sf.r.start}:${sf.r.end}`;
      const seen = byRange.get(key);
      if (seen) {
        if (stage !== undefined) seen.stages.push(stage);
        seen.counts.add(n);
        continue;
      }
      const f: Finding = {
        code: rule.code,
        severity: rule.severity,
        message: '',
        range: sf.r,
        stage,
        unnecessary: true,
        fixes: ownLiteral(ctx, cfg, sf) ? [{ title: 'Set stack_factor=1', edits: [{ range: sf.r, newText: '1' }], preferred: true }] : undefined,
      };
      byRange.set(key, { f, factor: sf.v, stages: stage !== undefined ? [stage] : [], counts: new Set([n]) });
    }
    const out: Finding[] = [];
    for (const { f, factor, stages, counts } of byRange.values()) {
      const has = [...counts].sort().map((n) => (n === 0 ? 'no stack ops' : 'one stack op'));
      const where = stages.length > 1 ? `stages ${joinAnd(stages.map(String))} have` : 'this stage has';
      f.message =
        `stack_factor=${factor} is ignored: it only widens the middle of a stack of two or more ops, and ${where} ` +
        `${has.join(' or ')}, so every block stays at out_channels.`;
      out.push(f);
    }
    return out;
  },
};

export default rule;

import type { Rule, Finding, RuleContext } from './types';
import type { ConfigValue } from '../python/values';
import { isSeq } from '../python/values';
import { FIELDS } from '../schema';
import { configsToCheck, fieldValue, intLike } from './support/configs';
import { argsAccountedFor, configCutShort } from './support/trust';
import { insertBeforeClose } from './support/edits';
import { joinAnd, pyNames } from './support/wording';
import { nearest } from './support/spelling';
import { plural } from '../format';

const REQUIRED = FIELDS.filter((f) => f.required).map((f) => f.name);
const FIELD_NAMES = FIELDS.map((f) => f.name);

/** A sensible value for a missing required field, from the neighbouring stages when known. */
function suggested(ctx: RuleContext, cfg: ConfigValue, stage: number | undefined, field: string): string {
  switch (field) {
    case 'in_channels': {
      const prev = stage !== undefined && stage > 0 ? intLike(fieldValue(ctx.stageConfigs[stage - 1], 'out_channels')) : undefined;
      return String(prev ?? 32);
    }
    case 'out_channels': {
      const next = stage !== undefined ? intLike(fieldValue(ctx.stageConfigs[stage + 1], 'in_channels')) : undefined;
      const own = intLike(fieldValue(cfg, 'in_channels'));
      return String(next ?? own ?? 64);
    }
    case 'head_op': {
      const ops = fieldValue(cfg, 'stack_ops');
      const first = isSeq(ops) ? ops.items[0] : undefined;
      return JSON.stringify(first?.k === 'str' ? first.v : 'mixvarge_f2');
    }
    case 'stack_ops':
      return '[]';
    case 'stride':
      return stage === 0 ? '1' : '2';
    default:
      return '0';
  }
}

const rule: Rule = {
  code: 'MVG013',
  name: 'missing-field',
  severity: 'error',
  category: 'crash',
  title: 'A required MixVarGENetConfig field is missing',
  doc: `\`in_channels\`, \`out_channels\`, \`head_op\`, \`stack_ops\` and \`stride\` have no default: a config
without one of them fails as soon as the config file is imported, on every rank:

\`\`\`
TypeError: __init__() missing 1 required positional argument: 'stride'
\`\`\`

Configs whose arguments cannot all be known (\`**kwargs\` from an unknown dict) or that contain
a syntax error are not checked: the field may be hidden there.

**Bad**: \`MixVarGENetConfig(in_channels=32, out_channels=64, head_op="mixvarge_f4", stack_ops=[])\`.

**Good**: the same with \`stride=2\`.

**Fix**: the quick fix inserts the missing fields with sensible values: \`in_channels\` chained
from the previous stage's \`out_channels\`, \`out_channels\` from the next stage's \`in_channels\`,
\`stack_ops=[]\`, \`stride=1\` for stage 0 and \`2\` otherwise. Check them.`,
  check(ctx) {
    const out: Finding[] = [];
    for (const { cfg, stage } of configsToCheck(ctx, 'call')) {
      if (cfg.opaque || cfg.broken) continue;
      // A misspelt keyword (MVG012 offers the rename) is not also reported as a missing field.
      const meant = new Set(cfg.unknownKwargs.map((u) => nearest(u.name, FIELD_NAMES)).filter((n): n is string => !!n && !cfg.args.has(n)));
      const missing = REQUIRED.filter((f) => !cfg.args.has(f) && !meant.has(f));
      if (missing.length === 0 || !argsAccountedFor(ctx, cfg) || configCutShort(ctx, cfg)) continue;
      const snippet = missing.map((f) => `${f}=${suggested(ctx, cfg, stage, f)}`).join(', ');
      out.push({
        code: rule.code,
        severity: rule.severity,
        message: `MixVarGENetConfig is missing ${joinAnd(missing)}. Importing the config raises "TypeError: __init__() missing ${plural(missing.length, 'required positional argument')}: ${pyNames(missing)}".`,
        range: cfg.callee,
        stage,
        fixes: [{ title: `Add ${snippet}`, edits: [insertBeforeClose(ctx.text, cfg.argList, snippet)], preferred: true }],
      });
    }
    return out;
  },
};

export default rule;

import type { Rule, Finding, Fix } from './types';
import { FIELDS } from '../schema';
import { configsToCheck } from './support/configs';
import { nearest } from './support/spelling';
import { dedupeFindings } from './support/findings';
import { headlineFirst } from './support/wording';
import { plural } from '../format';

const FIELD_NAMES = FIELDS.map((f) => f.name);
const REQUIRED = FIELDS.filter((f) => f.required).length;

const rule: Rule = {
  code: 'MVG012',
  name: 'unknown-field',
  severity: 'error',
  category: 'crash',
  title: 'A keyword that MixVarGENetConfig does not have, a field given twice, or too many arguments',
  doc: `\`MixVarGENetConfig\` is a dataclass with eight fields (\`in_channels, out_channels, head_op,
stack_ops, stride, stack_factor, fusion_strides, extra_downsample_num\`, in that order). Its
generated \`__init__\` fails as soon as the config file is imported — before any GPU does work —
and every rank prints the same traceback:

\`\`\`
TypeError: __init__() got an unexpected keyword argument 'stack_factr'
TypeError: __init__() got multiple values for argument 'in_channels'
TypeError: __init__() takes from 6 to 9 positional arguments but 10 were given
\`\`\`

A keyword written twice is a \`SyntaxError: keyword argument repeated\`.

**Bad**: \`MixVarGENetConfig(..., stack_factr=1)\`, \`MixVarGENetConfig(32, 32, ..., in_channels=32)\`.

**Good**: the field names of the table above, each once.

**Fix**: for a misspelt keyword the quick fix renames it to the nearest field name (when that
field is not already given).`,
  check(ctx) {
    const out: Finding[] = [];
    for (const { cfg, stage } of configsToCheck(ctx, 'call')) {
      for (const u of cfg.unknownKwargs) {
        const guess = nearest(u.name, FIELD_NAMES);
        const taken = guess !== undefined && cfg.args.has(guess);
        const src = ctx.text.slice(u.nameRange.start, u.nameRange.end);
        const quote = /^["']/.test(src) ? src[0] : '';
        const fixes: Fix[] | undefined =
          guess && !taken && (quote || /^[A-Za-z_]\w*$/.test(src))
            ? [{ title: `Rename to ${guess}`, edits: [{ range: u.nameRange, newText: `${quote}${guess}${quote}` }], preferred: true }]
            : undefined;
        const hint = guess ? (taken ? ` (${guess} is already given: remove this one?)` : `: did you mean ${guess}?`) : '';
        out.push({
          code: rule.code,
          severity: rule.severity,
          message: headlineFirst(`Unknown field "${u.name}"${hint}`, `MixVarGENetConfig has no such field: importing the config raises "TypeError: __init__() got an unexpected keyword argument '${u.name}'".`),
          range: u.nameRange,
          stage,
          fixes,
        });
      }
      for (const d of cfg.duplicates) {
        const argText = ctx.text.slice(cfg.argList.start, cfg.argList.end);
        const kwCount = (argText.match(new RegExp(`(?:^|[(,\\s])${d.name}\\s*=(?!=)`, 'g')) ?? []).length;
        const message =
          kwCount >= 2
            ? `${d.name} is given twice as a keyword. Python refuses to import the config ("SyntaxError: keyword argument repeated: ${d.name}").`
            : `${d.name} is given both positionally and as a keyword. Importing the config raises "TypeError: __init__() got multiple values for argument '${d.name}'".`;
        out.push({ code: rule.code, severity: rule.severity, message, range: d.range, stage });
      }
      if (cfg.extraPositional.length > 0) {
        const given = FIELD_NAMES.length + cfg.extraPositional.length;
        const first = cfg.extraPositional[0];
        const last = cfg.extraPositional[cfg.extraPositional.length - 1];
        out.push({
          code: rule.code,
          severity: rule.severity,
          message: `MixVarGENetConfig takes at most ${FIELD_NAMES.length} positional arguments, but ${given} are given (${plural(cfg.extraPositional.length, 'extra')}). Importing the config raises "TypeError: __init__() takes from ${REQUIRED + 1} to ${FIELD_NAMES.length + 1} positional arguments but ${given + 1} were given".`,
          range: { start: first.start, end: last.end },
          stage,
        });
      }
    }
    return dedupeFindings(out);
  },
};

export default rule;

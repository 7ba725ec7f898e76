import type { Rule } from './types';

const rule: Rule = {
  code: 'MVG000',
  name: 'syntax-error',
  severity: 'error',
  category: 'syntax',
  title: 'The file does not parse as Python',
  doc: `Python cannot import a config with a syntax error: every GPU rank fails at start-up.

The analysis keeps going: statements outside the broken one, and the stages of \`net_config\`
that are intact, are still checked. Only the first error of each line is shown.

A bracket that was never closed is reported once, at the bracket — e.g. \`'[' and '(' were never
closed\` over the \`[MixVarGENetConfig(\` of a stage left open while typing —, not where Python's
parser gives up lines later. The one never closed is the one still open when a later line starts
at or left of the indentation of the line it was opened on (the next stage, the next statement).
So is nesting deeper than Python allows (200 brackets): that statement is not analysed.`,
  check(ctx) {
    return ctx.parsed.syntaxErrors.map((e) => ({ code: rule.code, severity: rule.severity, message: e.message, range: e.range }));
  },
};

export default rule;

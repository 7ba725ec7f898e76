import type { Rule } from './types';

const rule: Rule = {
  code: 'MVG000',
  name: 'syntax-error',
  severity: 'error',
  category: 'syntax',
  title: 'The file does not parse as Python',
  doc: `Python cannot import a config with a syntax error: every GPU rank fails at start-up.

The analysis keeps going: statements outside the broken one, and the stages of \`net_config\`
that are intact, are still checked. Only the first error of each line is shown.`,
  check(ctx) {
    return ctx.parsed.syntaxErrors.map((e) => ({ code: rule.code, severity: rule.severity, message: e.message, range: e.range }));
  },
};

export default rule;

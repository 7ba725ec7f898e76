import type { Finding, Rule } from './types';

const rule: Rule = {
  code: 'MVG017',
  name: 'analysis-stopped',
  severity: 'warning',
  category: 'analysis',
  title: 'The analysis stopped before the end of the file: what follows is not checked',
  doc: `The extension evaluates a config without running it, under fixed budgets so that no file can make
it (or VS Code) hang or run out of memory: a million steps of work — every value built, copied,
sorted or searched counts in proportion to its size —, 64 MB of values, and 1 s. A network of more
than 5,000 blocks is not modelled.

When a budget runs out, the analysis stops at the statement it is in. Everything before that
statement was analysed as usual; what the statement and the ones after it compute is unknown, so
nothing there is checked (and nothing there is reported as wrong). The warning names the budget
that ran out.

A real HAT config never comes near these budgets. Code that does, e.g.

\`\`\`python
table = [sorted(big_list) for _ in range(100000)]
\`\`\`

is not something a config needs: compute it elsewhere, or move it after \`net_config\` and the
backbone so that the network is still analysed.`,
  check(ctx) {
    const st = ctx.stopped;
    if (!st) return [];
    // The statement's first line: a long statement is not squiggled from end to end.
    const eol = ctx.text.indexOf('\n', st.range.start);
    const end = eol >= 0 && eol < st.range.end && eol > st.range.start ? eol : st.range.end;
    const range = { start: st.range.start, end: Math.max(end, Math.min(ctx.text.length, st.range.start + 1)) };
    const message =
      st.phase === 'model'
        ? `Network not modelled: ${st.why}. Shapes, costs and the checks that need them are skipped.`
        : st.phase === 'parse'
          ? `Analysis stopped here: ${st.why} while parsing. The text from here on is not read or checked.`
          : `Analysis stopped at this statement: ${st.why}. What it and the statements after it compute is unknown and not checked; everything before it was analysed.`;
    const f: Finding = { code: rule.code, severity: rule.severity, message, range };
    if (st.inner) f.related = [{ range: st.inner, message: 'being evaluated when the analysis stopped' }];
    return [f];
  },
};

export default rule;

/** Flags shared by `lint` and `info`: the op table, the target, hints and disabled rules. */
import type { AnalyzeOptions } from '../core/analyze';
import type { Target } from '../core/extract';
import { RULES, ruleByName } from '../core/rules/index';
import { nearest } from '../core/rules/support/spelling';
import { type FlagSpec, type ParsedArgs, flagList, flagSet, flagString } from './args';
import { loadOps } from './files';
import { UsageError } from './io';

export const ANALYSIS_FLAGS: FlagSpec[] = [
  { name: 'ops', value: true },
  { name: 'target', value: true },
  { name: 'no-hints' },
  { name: 'disable', value: true, repeat: true },
];

const TARGETS: Record<string, Target> = { j5: 'J5', j6: 'J6', xj3: 'XJ3', any: 'any' };

export interface AnalysisSetup {
  options: AnalyzeOptions;
  /** Problems in the ops file's entries, printed as warnings. */
  opsWarnings: string[];
  /** The target as given on the command line. */
  targetFlag?: Target;
}

export function analysisSetup(p: ParsedArgs, cwd: string, command: string): AnalysisSetup {
  let target: Target | undefined;
  const t = flagString(p, 'target');
  if (t !== undefined) {
    target = TARGETS[t.toLowerCase()];
    if (!target) throw new UsageError(`--target must be J5 or any (also J6, XJ3), not '${t}'`, command);
  }
  const disabled: string[] = [];
  for (const item of flagList(p, 'disable').flatMap((s) => s.split(','))) {
    const name = item.trim();
    if (!name) continue;
    const rule = ruleByName(name);
    if (!rule) {
      const guess = nearest(name, RULES.flatMap((r) => [r.code, r.name]));
      throw new UsageError(`--disable: no rule '${name}'${guess ? ` (did you mean '${guess}'?)` : ''}; 'mvg rules' lists them`, command);
    }
    disabled.push(rule.code);
  }
  const { ops, warnings } = loadOps(flagString(p, 'ops'), cwd);
  return {
    options: { ops, target, hints: !flagSet(p, 'no-hints'), disabled },
    opsWarnings: warnings,
    targetFlag: target,
  };
}

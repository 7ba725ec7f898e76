/** The contract every lint rule follows. */
import type { Range } from '../text';
import type { ParsedModule } from '../python/parse';
import type { EvalResult } from '../python/evaluate';
import type { Extracted, Target } from '../extract';
import type { Network } from '../model';
import type { OpTable } from '../schema';
import type { ConfigValue } from '../python/values';
import type { AnalysisStop } from '../python/budget';

export type Severity = 'error' | 'warning' | 'info' | 'hint';

/**
 * crash: HAT fails to build or run; silent: HAT builds a different network; guidance: J5 design hints;
 * analysis: the analysis itself could not follow the file to its end.
 */
export type Category = 'syntax' | 'crash' | 'silent' | 'guidance' | 'analysis';

export interface TextEdit {
  range: Range;
  newText: string;
}

export interface Fix {
  title: string;
  edits: TextEdit[];
  /** The one fix to apply for "fix all" and the lightbulb's first choice. */
  preferred?: boolean;
}

export interface Related {
  range: Range;
  message: string;
}

export interface Finding {
  code: string;
  severity: Severity;
  message: string;
  range: Range;
  related?: Related[];
  fixes?: Fix[];
  /** Faded rendering in the editor (dead code, e.g. dropped downsamples). */
  unnecessary?: boolean;
  /** Stage the finding belongs to, for the graph's badges. */
  stage?: number;
}

export interface RuleContext {
  text: string;
  parsed: ParsedModule;
  ev: EvalResult;
  ex: Extracted;
  net: Network | null;
  ops: OpTable;
  /** Effective target: from `march` in the file, else the user's setting. */
  target: Target;
  /** Configs that are stages of the analysed net_config, by stage index. */
  stageConfigs: (ConfigValue | undefined)[];
  /** Where and why the analysis stopped before the end of the file, if a budget ran out. */
  stopped?: AnalysisStop;
}

export interface Rule {
  /** Stable code, e.g. MVG002. Never reused. */
  code: string;
  /** Kebab-case name, e.g. channel-chain. */
  name: string;
  severity: Severity;
  category: Category;
  /** One line: what the rule catches. */
  title: string;
  /** Markdown: why it matters, what HAT does, examples of bad and good, the fix. */
  doc: string;
  check(ctx: RuleContext): Finding[];
}

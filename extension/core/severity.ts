/**
 * The severity a finding is reported with, per rule category, as the user sets it (issue 13, point 8): VS Code
 * leaves hint-level diagnostics out of the Problems panel, so the J5 design guidance can be listed as information
 * or warnings, or turned off; silent-change findings can be raised to errors or lowered. Crashes and syntax errors
 * always stay errors. Pure: the analysis applies it (analyze.ts), the extension reads the settings
 * (host/settings.ts) and package.json describes the same choices.
 */
import type { Category, Severity } from './rules/types';

/** What a category's findings are reported as: a severity, each rule's own ('default'), or not at all ('off'). */
export type SeverityChoice = 'default' | 'error' | 'warning' | 'information' | 'hint' | 'off';

/** The categories whose severity a user may choose (syntax and crash findings are always errors). */
export type AdjustableCategory = 'silent' | 'guidance';

export type SeverityOverrides = Partial<Record<AdjustableCategory, SeverityChoice>>;

/** The choices per category, the default first (package.json's enums list the same, in the same order). */
export const SEVERITY_CHOICES: Readonly<Record<AdjustableCategory, readonly SeverityChoice[]>> = {
  // Every silent-change rule is a warning: "warning" is each rule's own severity.
  silent: ['warning', 'error', 'information', 'hint', 'off'],
  // Guidance is hints (J5 design, MVG2nn) and information (what the analysis assumed, MVG301): "default" keeps each.
  guidance: ['default', 'hint', 'information', 'warning', 'off'],
};

export const ADJUSTABLE_CATEGORIES = Object.keys(SEVERITY_CHOICES) as AdjustableCategory[];

const AS_SEVERITY: Record<Exclude<SeverityChoice, 'default' | 'off'>, Severity> = {
  error: 'error',
  warning: 'warning',
  information: 'info',
  hint: 'hint',
};

function isAdjustable(c: Category): c is AdjustableCategory {
  return c === 'silent' || c === 'guidance';
}

/** The choice in effect for a category: the user's, when it is one of the category's choices, else the default. */
export function choiceFor(category: Category, overrides: SeverityOverrides | undefined): SeverityChoice {
  if (!isAdjustable(category)) return 'default';
  const v = overrides?.[category];
  return v !== undefined && SEVERITY_CHOICES[category].includes(v) ? v : SEVERITY_CHOICES[category][0];
}

/** The severity a finding of `category` (reported by its rule as `own`) is shown with; null: not reported. */
export function effectiveSeverity(category: Category, own: Severity, overrides: SeverityOverrides | undefined): Severity | null {
  const choice = choiceFor(category, overrides);
  if (choice === 'off') return null;
  if (choice === 'default') return own;
  return AS_SEVERITY[choice];
}

/** The overrides from untrusted values (settings, messages): unknown categories and values are dropped. */
export function sanitizeSeverityOverrides(x: unknown): SeverityOverrides {
  const out: SeverityOverrides = {};
  if (!x || typeof x !== 'object' || Array.isArray(x)) return out;
  for (const c of ADJUSTABLE_CATEGORIES) {
    const v = (x as Record<string, unknown>)[c];
    if (typeof v === 'string' && (SEVERITY_CHOICES[c] as readonly string[]).includes(v)) out[c] = v as SeverityChoice;
  }
  return out;
}

/** The rule registry: every rule, in code order. Add a rule by adding its module here. */
import type { Rule } from './types';
import { RULES as ALL } from './all';

export const RULES: Rule[] = [...ALL].sort((a, b) => a.code.localeCompare(b.code));

export const RULE_BY_CODE = new Map(RULES.map((r) => [r.code, r]));

export function ruleByName(nameOrCode: string): Rule | undefined {
  return RULE_BY_CODE.get(nameOrCode.toUpperCase()) ?? RULES.find((r) => r.name === nameOrCode);
}

/** The silent rules (see rules/types.ts Category). One import per rule module. */
import type { Rule } from './types';

export const SILENT_RULES: Rule[] = [];

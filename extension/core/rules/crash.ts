/** The crash rules (see rules/types.ts Category). One import per rule module. */
import type { Rule } from './types';

export const CRASH_RULES: Rule[] = [];

/** The guidance rules (see rules/types.ts Category). One import per rule module. */
import type { Rule } from './types';

export const GUIDANCE_RULES: Rule[] = [];

/** Every rule module, grouped by category (one list file per category, one file per rule). */
import type { Rule } from './types';
import syntax from './MVG000-syntax';
import unknownOp from './MVG001-unknown-op';
import channelChain from './MVG002-channel-chain';
import { CRASH_RULES } from './crash';
import { SILENT_RULES } from './silent';
import { GUIDANCE_RULES } from './guidance';

export const RULES: Rule[] = [syntax, unknownOp, channelChain, ...CRASH_RULES, ...SILENT_RULES, ...GUIDANCE_RULES];

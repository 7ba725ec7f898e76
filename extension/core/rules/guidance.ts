/** The guidance rules (see rules/types.ts Category). One import per rule module. */
import type { Rule } from './types';
import channelMultiple from './MVG201-channel-multiple';
import convKindForWidth from './MVG202-conv-kind-for-width';
import longFusion from './MVG203-long-fusion';
import inputAssumed from './MVG301-input-assumed';

export const GUIDANCE_RULES: Rule[] = [channelMultiple, convKindForWidth, longFusion, inputAssumed];

/** The silent rules (see rules/types.ts Category). One import per rule module. */
import type { Rule } from './types';
import droppedDownsamples from './MVG101-dropped-downsamples';
import groupBaseNotHonoured from './MVG102-group-base-not-honoured';
import headMapNot7x7 from './MVG103-head-map-not-7x7';
import stackFactorIgnored from './MVG104-stack-factor-ignored';
import fusionOrder from './MVG105-fusion-order';
import unusedDownsample from './MVG106-unused-downsample';
import nonJ5Op from './MVG107-non-j5-op';
import fusionRewired from './MVG108-fusion-rewired';
import outputListRange from './MVG109-output-list-range';

export const SILENT_RULES: Rule[] = [
  droppedDownsamples,
  groupBaseNotHonoured,
  headMapNot7x7,
  stackFactorIgnored,
  fusionOrder,
  unusedDownsample,
  nonJ5Op,
  fusionRewired,
  outputListRange,
];

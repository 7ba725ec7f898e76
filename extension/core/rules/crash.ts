/** The crash rules (see rules/types.ts Category). One import per rule module. */
import type { Rule } from './types';
import groupDivisibility from './MVG003-group-divisibility';
import downsampleRange from './MVG004-downsample-range';
import fusionCount from './MVG005-fusion-count';
import fusionSource from './MVG006-fusion-source';
import topReceivesList from './MVG007-top-receives-list';
import stageShape from './MVG008-stage-shape';
import strideValue from './MVG009-stride-value';
import channelsPositive from './MVG010-channels-positive';
import fieldType from './MVG011-field-type';
import unknownField from './MVG012-unknown-field';
import missingField from './MVG013-missing-field';
import backboneArgs from './MVG014-backbone-args';
import headTooSmall from './MVG015-head-too-small';
import inputChannels from './MVG016-input-channels';

export const CRASH_RULES: Rule[] = [
  groupDivisibility,
  downsampleRange,
  fusionCount,
  fusionSource,
  topReceivesList,
  stageShape,
  strideValue,
  channelsPositive,
  fieldType,
  unknownField,
  missingField,
  backboneArgs,
  headTooSmall,
  inputChannels,
];

/**
 * The rule registry: the one list of rules, in code order. The CLI, the analysis and the docs read it.
 *
 * To add a rule:
 * 1. write `MVGnnn-<name>.ts` here, a new code (never reused) in its category's range: MVG0nn crash
 *    (and MVG000 syntax, MVG017 the analysis stopping), MVG1nn silent, MVG2nn guidance, MVG3nn guidance
 *    about what the analysis had to assume. It
 *    default-exports one Rule (types.ts) and exports nothing else; shared helpers come from
 *    ./support/ (a new one goes there, by topic), never from another rule;
 * 2. import it below and add it to RULES, in code order;
 * 3. add its tests under test/unit/rules/ and run `npm run docs:rules` to write docs/rules/MVGnnn.md
 *    and the index (test/unit/docs.test.ts fails until you do).
 * test/unit/rules/registry.test.ts fails when a rule file is not listed here, the list is out of
 * order, or a rule imports another rule.
 */
import type { Rule } from './types';
import syntaxError from './MVG000-syntax-error';
import unknownOp from './MVG001-unknown-op';
import channelChain from './MVG002-channel-chain';
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
import analysisStopped from './MVG017-analysis-stopped';
import droppedDownsamples from './MVG101-dropped-downsamples';
import groupBaseNotHonoured from './MVG102-group-base-not-honoured';
import headMapNot7x7 from './MVG103-head-map-not-7x7';
import stackFactorIgnored from './MVG104-stack-factor-ignored';
import fusionOrder from './MVG105-fusion-order';
import unusedDownsample from './MVG106-unused-downsample';
import nonJ5Op from './MVG107-non-j5-op';
import fusionRewired from './MVG108-fusion-rewired';
import outputListRange from './MVG109-output-list-range';
import channelMultiple from './MVG201-channel-multiple';
import convKindForWidth from './MVG202-conv-kind-for-width';
import longFusion from './MVG203-long-fusion';
import inputAssumed from './MVG301-input-assumed';

export const RULES: Rule[] = [
  syntaxError,
  unknownOp,
  channelChain,
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
  analysisStopped,
  droppedDownsamples,
  groupBaseNotHonoured,
  headMapNot7x7,
  stackFactorIgnored,
  fusionOrder,
  unusedDownsample,
  nonJ5Op,
  fusionRewired,
  outputListRange,
  channelMultiple,
  convKindForWidth,
  longFusion,
  inputAssumed,
];

export const RULE_BY_CODE = new Map(RULES.map((r) => [r.code, r]));

export function ruleByName(nameOrCode: string): Rule | undefined {
  return RULE_BY_CODE.get(nameOrCode.toUpperCase()) ?? RULES.find((r) => r.name === nameOrCode);
}

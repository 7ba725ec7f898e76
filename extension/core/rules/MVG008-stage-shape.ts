import type { Rule, Finding } from './types';
import { show, typeName } from '../python/values';
import { isKnown } from './support/configs';
import { netConfigIntact } from './support/trust';
import { article } from './support/wording';

const rule: Rule = {
  code: 'MVG008',
  name: 'stage-shape',
  severity: 'error',
  category: 'crash',
  title: 'A net_config stage that is not a list holding exactly one MixVarGENetConfig',
  doc: `\`net_config\` is a list of stages, and each stage is a list holding one
\`MixVarGENetConfig\` (newer HAT releases also allow a trailing \`IdentityConfig\`). HAT reads
\`net_config[0][0].in_channels\`, \`net_config[i][0].out_channels\` and \`net_config[-1][-1]\`,
iterates every stage, and runs the blocks of a stage in sequence:

- a bare config instead of a list: \`TypeError: 'MixVarGENetConfig' object is not subscriptable\`
  (or \`… is not iterable\`) when the model is built;
- two configs in one stage: the first returns \`(x, downsamples)\`, and the second receives that
  tuple instead of a tensor and fails on the first batch;
- an empty stage, or one holding something else than configs: \`IndexError\` / \`AttributeError\`
  when the model is built, or a failure on the first batch.

**Bad**: \`net_config = [MixVarGENetConfig(...), ...]\` or \`[[cfg_a, cfg_b], ...]\`.

**Good**: \`net_config = [[MixVarGENetConfig(...)], [MixVarGENetConfig(...)], ...]\`: split two
configs into two stages.

**Fix**: for a bare config, the quick fix wraps it in \`[ ]\`.`,
  check(ctx) {
    const nc = ctx.ex.netConfig;
    if (!nc || !netConfigIntact(ctx)) return [];
    const out: Finding[] = [];
    for (const st of nc.stages) {
      if (st.unknown) continue;
      const base = { code: rule.code, severity: rule.severity, stage: st.index } as const;
      if (st.notAList) {
        if (st.value.k === 'config') {
          out.push({
            ...base,
            message:
              st.index === 0
                ? `Stage 0 is a bare MixVarGENetConfig, not a list holding one. HAT reads net_config[0][0] for the stem and raises "TypeError: 'MixVarGENetConfig' object is not subscriptable" when it builds the model.`
                : `Stage ${st.index} is a bare MixVarGENetConfig, not a list holding one. HAT iterates each stage's configs and raises "TypeError: 'MixVarGENetConfig' object is not iterable" when it builds the model.`,
            range: st.range,
            fixes: [
              {
                title: 'Wrap the stage in [ ]',
                edits: [
                  { range: { start: st.range.start, end: st.range.start }, newText: '[' },
                  { range: { start: st.range.end, end: st.range.end }, newText: ']' },
                ],
                preferred: true,
              },
            ],
          });
        } else if (isKnown(st.value)) {
          out.push({
            ...base,
            message: `Stage ${st.index} is ${show(st.value)} (${article(typeName(st.value))}), not a list holding one MixVarGENetConfig. HAT fails when it reads net_config[${st.index}][0] while building the model.`,
            range: st.range,
          });
        }
        continue;
      }
      if (st.configs.length > 1) {
        const second = st.configs[1];
        out.push({
          ...base,
          message: `Stage ${st.index} holds ${st.configs.length} MixVarGENetConfig calls. HAT chains them, the first returns the tuple (x, downsamples), and the second receives that tuple instead of a tensor and fails on the first batch. Put each config in its own stage list.`,
          range: second.r,
          related: [{ range: st.configs[0].r, message: 'the first config of the stage' }],
        });
      }
      // Items that are neither configs nor unknown (an unknown call may be an IdentityConfig).
      const bad = st.otherItems.filter((i) => isKnown(i));
      for (const item of bad) {
        out.push({
          ...base,
          message: `Stage ${st.index} holds ${show(item)} (${article(typeName(item))}), not a MixVarGENetConfig. Every item of a stage must be a MixVarGENetConfig (or a trailing IdentityConfig); HAT fails on it while building the model ("AttributeError: '${typeName(item)}' object has no attribute 'in_channels'").`,
          range: item.r,
        });
      }
      if (st.configs.length === 0 && st.otherItems.length === 0) {
        out.push({
          ...base,
          message:
            st.index === 0
              ? `Stage 0 is an empty list. HAT reads the stem's width from net_config[0][0] and raises "IndexError: list index out of range" when it builds the model.`
              : `Stage ${st.index} is an empty list. It builds no block, so "x, downsamples = module(x)" unpacks a bare tensor and fails ("ValueError: too many values to unpack") on the first batch.`,
          range: st.range,
        });
      }
    }
    return out;
  },
};

export default rule;

import type { Rule, Finding } from './types';
import { fieldValue, intLike } from './support/configs';
import { backboneIntact, netConfigIntact } from './support/trust';
import { isSeq } from '../python/values';

const rule: Rule = {
  code: 'MVG007',
  name: 'top-receives-list',
  severity: 'error',
  category: 'crash',
  title: 'The last stage emits downsamples while the classifier head is built',
  doc: `After a stage with \`extra_downsample_num > 0\`, MixVarGENet replaces its output by the list
\`[x, downsampled maps…]\` for the next stage's fusion. After the last stage there is no next
stage: with \`include_top=True\` (the default) that list goes into the classifier head, whose
first 1x1 conv cannot take a list, on the first batch:

\`\`\`
TypeError: conv2d() received an invalid combination of arguments - got (list, Parameter, …)
\`\`\`

**Bad**: the last stage of a classifier with \`extra_downsample_num=1\`.

**Good**: \`extra_downsample_num=0\` on the last stage (nothing could fuse its downsamples anyway),
or \`include_top=False\` for a backbone whose outputs go to a neck.

**Fix**: the quick fix sets the last stage's \`extra_downsample_num\` to 0.`,
  check(ctx) {
    const net = ctx.net;
    const bb = ctx.ex.backbone;
    const nc = ctx.ex.netConfig;
    if (!net || !bb || !nc || !isSeq(nc.value) || !netConfigIntact(ctx) || !backboneIntact(ctx, bb)) return [];
    // include_top must be known to be true: written as True, or absent from a complete dict.
    const top = bb.entries.get('include_top');
    if (top ? net.args.unknownArgs.includes('include_top') || !net.args.includeTop : !bb.complete) return [];
    const k = net.stages.length - 1;
    const cfg = ctx.stageConfigs[k];
    const v = fieldValue(cfg, 'extra_downsample_num');
    const n = intLike(v);
    if (!cfg || !v || n === undefined || n < 1 || n > 3) return [];
    const f: Finding = {
      code: rule.code,
      severity: rule.severity,
      message: `The classifier head gets a list, not a tensor (stage ${k}, extra_downsample_num=${n}). With include_top=${top ? ctx.text.slice(top.value.r.start, top.value.r.end) : 'True (the default)'} its output becomes a list [x, ${n} downsampled ${n === 1 ? 'map' : 'maps'}] that no stage fuses, and the classifier head's conv raises TypeError on it on the first batch.`,
      range: v.r,
      stage: k,
      related: top ? [{ range: top.itemRange, message: 'the classifier head is built here' }] : [{ range: bb.entries.get('type')?.itemRange ?? bb.dict.node, message: 'include_top defaults to True' }],
      fixes: v.literal ? [{ title: 'Set extra_downsample_num to 0 (drop the dangling downsamples)', edits: [{ range: v.r, newText: '0' }], preferred: true }] : undefined,
    };
    return [f];
  },
};

export default rule;

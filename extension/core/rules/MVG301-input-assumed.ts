import type { Rule } from './types';

const rule: Rule = {
  code: 'MVG301',
  name: 'input-assumed',
  severity: 'info',
  category: 'guidance',
  title: 'No input shape found: 1x3x224x224 is assumed',
  doc: `Feature-map shapes, MACs, the head's 7x7 check and the graph all depend on the input size. The
extension reads it from \`deploy_inputs\` (the tensor HAT traces for compilation, e.g.
\`dict(img=torch.randn((1, 3, 224, 224)))\`) or from \`data_shape = (3, H, W)\`. When neither is in
the file, or its shape cannot be known without running code, it assumes 1x3x224x224, ImageNet's size.

**Fix**: add \`deploy_inputs\` with the size you deploy at:

\`\`\`python
deploy_inputs = dict(img=torch.randn((1, 3, 224, 224)))
\`\`\``,
  check(ctx) {
    if (!ctx.net || ctx.ex.input.source !== 'default') return [];
    const range = ctx.ex.backbone?.entries.get('type')?.value.r ?? (ctx.stageConfigs.find((c) => !!c) ?? ctx.ex.configs[0])?.callee;
    if (!range) return [];
    const [n, c, h, w] = ctx.net.input;
    const has = ctx.ev.env.has('deploy_inputs') || ctx.ev.env.has('data_shape');
    return [
      {
        code: rule.code,
        severity: rule.severity,
        message: has
          ? `Input assumed to be ${n}x${c}x${h}x${w}. The shape of ${ctx.ev.env.has('deploy_inputs') ? 'deploy_inputs' : 'data_shape'} cannot be known without running code: shapes and MACs assume a ${n}x${c}x${h}x${w} input.`
          : `Input assumed to be ${n}x${c}x${h}x${w}. No deploy_inputs or data_shape in this file: shapes and MACs assume a ${n}x${c}x${h}x${w} input.`,
        range,
      },
    ];
  },
};

export default rule;

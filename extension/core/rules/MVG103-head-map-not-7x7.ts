import type { Rule } from './types';
import { inputHWRange } from './support/input';

const rule: Rule = {
  code: 'MVG103',
  name: 'head-map-not-7x7',
  severity: 'warning',
  category: 'silent',
  title: 'The classifier head gets a final map larger than 7x7',
  doc: `HAT's classifier head is a 1x1 conv, \`AvgPool2d(7, stride=1)\`, a 1x1 conv to \`num_classes\`, then
\`x.view(-1, num_classes)\`. It assumes the last stage outputs 7x7 (224x224 input, output stride 32).
A larger map is **not** pooled to 1x1: a 256x256 input gives an 8x8 map, pooled to 2x2, and the view
turns each image into 4 rows of logits, so the batch silently grows 4x (the loss then fails on the
label count, or worse, broadcasts). A map smaller than 7x7 crashes in the pool (a crash rule).

**Bad**

\`\`\`python
deploy_inputs = dict(img=torch.randn((1, 3, 256, 256)))   # 8x8 final map
\`\`\`

**Good**

\`\`\`python
deploy_inputs = dict(img=torch.randn((1, 3, 224, 224)))   # 7x7 final map
\`\`\`

**Fix**: train the classifier at an input whose final map is 7x7 (224x224 for the five-stage layout),
or use \`include_top=False\` and a head of your own (e.g. global average pooling) for other sizes.`,
  check(ctx) {
    const net = ctx.net;
    const head = net?.head;
    if (!net || !head || net.args.unknownArgs.includes('include_top')) return [];
    const pooled = head.pool.outShape;
    const map = head.pool.inShape;
    if (!pooled || !map || head.rowsPerImage === null || head.rowsPerImage <= 1) return [];
    const [, , H, W] = net.input;
    const nc = net.args.numClasses !== null ? String(net.args.numClasses) : 'num_classes';
    const assumed = net.inputSource === 'default' ? ', assumed: no deploy_inputs found' : '';
    const flatUnknown = net.args.unknownArgs.includes('flat_output');
    const effect =
      net.args.flatOutput && !flatUnknown
        ? `view(-1, ${nc}) makes ${head.rowsPerImage} rows per image (the batch grows ${head.rowsPerImage}x)`
        : `the output is ${pooled[1]}x${pooled[2]} per class instead of one logit`;
    const range = inputHWRange(ctx) ?? ctx.ex.backbone?.entries.get('include_top')?.value.r ?? ctx.ex.backbone?.entries.get('type')?.value.r;
    if (!range) return [];
    return [
      {
        code: rule.code,
        severity: rule.severity,
        message:
          `The classifier head gets ${map[1]}x${map[2]}, not 7x7 (${H}x${W} input${assumed}). With include_top the last stage outputs ${map[1]}x${map[2]}, AvgPool2d(7, stride=1) leaves ` +
          `${pooled[1]}x${pooled[2]}, and ${effect}.`,
        range,
        stage: net.stages.length - 1,
      },
    ];
  },
};

export default rule;

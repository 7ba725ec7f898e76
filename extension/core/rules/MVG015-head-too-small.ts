import type { Rule, Finding, Related } from './types';
import { allConvs } from '../model';
import { isSeq } from '../python/values';
import { backboneIntact, netConfigIntact, rangeIntact } from './support/trust';

const rule: Rule = {
  code: 'MVG015',
  name: 'head-too-small',
  severity: 'error',
  category: 'crash',
  title: 'The input is too small for the network: a feature map under 7x7 reaches the head, or one smaller than a kernel',
  doc: `The classifier head (\`include_top=True\`, the default) pools with a fixed \`AvgPool2d(7, stride=1)\`:
the last stage's map must be at least 7x7, i.e. the input at least 7 × the network's output
stride (224 for five stages). A smaller map fails on the first batch:

\`\`\`
RuntimeError: Given input size: (1024x4x4). Calculated output size: (1024x-2x-2). Output size is too small
\`\`\`

The same holds for any conv whose kernel is larger than its padded input (\`RuntimeError: Calculated
padded input size per channel: (3 x 3). Kernel size: (5 x 5). Kernel size can't be greater than
actual input size\`), e.g. a user op with a large unpadded kernel.

The input size is taken from \`deploy_inputs\` (or \`data_shape\`); a file that states neither is not
checked, as its input size is not known. A final map *larger* than 7x7 does not crash but inflates
the batch (see the silent-change rules).

**Bad**: \`deploy_inputs = dict(img=torch.randn((1, 3, 128, 128)))\` with the five-stage classifier (4x4 final map).

**Good**: a 224x224 input; or \`include_top=False\` for a backbone that feeds a neck.

**Fix**: none automatic: change the input size, the number of stride-2 stages, or drop the top.`,
  check(ctx) {
    const net = ctx.net;
    const inp = ctx.ex.input;
    const nc = ctx.ex.netConfig;
    if (!net || inp.source === 'default' || !nc || !isSeq(nc.value) || !netConfigIntact(ctx) || (inp.range && !rangeIntact(ctx, inp.range))) return [];
    const [n, c, h, w] = inp.shape;
    const range = inp.range ?? ctx.stageConfigs[ctx.stageConfigs.length - 1]?.callee ?? nc.range;
    const input = `the ${n}x${c}x${h}x${w} input`;
    const out: Finding[] = [];
    // The first conv that cannot run on its input (later shapes are unknown after it).
    // (Checked from the shapes, not the model's message, so that a bad stride — MVG009 — is not
    // reported again as a too-small map.)
    const small = allConvs(net).find(
      (cv) => cv.inShape !== null && cv.stride >= 1 && cv.inShape[1] >= 1 && cv.inShape[2] >= 1 && (cv.inShape[1] + 2 * cv.pad < cv.k || cv.inShape[2] + 2 * cv.pad < cv.k),
    );
    if (small && small.inShape) {
      const [, ih, iw] = small.inShape;
      const stageIdx = /^stage(\d+)/.exec(small.id);
      out.push({
        code: rule.code,
        severity: rule.severity,
        message: `${small.id} (${small.k}x${small.k} kernel, padding ${small.pad}) receives a ${ih}x${iw} map from ${input}: PyTorch raises "RuntimeError: Kernel size can't be greater than actual input size" on the first batch.`,
        range,
        stage: stageIdx ? Number(stageIdx[1]) : undefined,
      });
      return out;
    }
    const head = net.head;
    const bb = ctx.ex.backbone;
    if (!head || !head.pool.problem || !head.pool.inShape || !bb || !backboneIntact(ctx, bb)) return out;
    // include_top must be known to be true.
    const top = bb.entries.get('include_top');
    if (top ? net.args.unknownArgs.includes('include_top') || !net.args.includeTop : !bb.complete) return out;
    const [pc, ph, pw] = head.pool.inShape;
    const last = net.stages.length - 1;
    const related: Related[] = [];
    const lastCfg = ctx.stageConfigs[last];
    if (lastCfg) related.push({ range: lastCfg.callee, message: `stage ${last} outputs ${ph}x${pw} (output stride ${net.stages[last].outputStride ?? '?'})` });
    if (top) related.push({ range: top.itemRange, message: 'the classifier head is built here' });
    const stride = net.stages[last].outputStride;
    const exact = stride ? 7 * stride : undefined;
    out.push({
      code: rule.code,
      severity: rule.severity,
      message: `With ${input} the last stage (stage ${last}) outputs a ${ph}x${pw} map, but the classifier head's AvgPool2d(7) needs at least 7x7: PyTorch raises "RuntimeError: Given input size: (${pc}x${ph}x${pw}). Calculated output size: (${pc}x${ph - 6}x${pw - 6}). Output size is too small" on the first batch.${exact ? ` At output stride ${stride}, a ${exact}x${exact} input gives exactly 7x7.` : ''}`,
      range,
      stage: last,
      related,
    });
    return out;
  },
};

export default rule;

import type { Rule, Finding, Fix, Related, RuleContext } from './types';
import { allConvs } from '../model';
import { isSeq } from '../python/values';
import { backboneIntact, netConfigIntact, rangeIntact } from './support/trust';
import { inputSizeEdits } from './support/input';

/** The input size that gives the head exactly a 7x7 map (7 × the output stride), as a fix where H and W are written as numbers. */
function sevenBySeven(ctx: RuleContext, stride: number | null | undefined): Fix[] | undefined {
  if (!stride || stride <= 0) return undefined;
  const s = 7 * stride;
  const edits = inputSizeEdits(ctx, s, s);
  return edits ? [{ title: `Set the input to ${s}x${s} (a 7x7 map at the head)`, edits, preferred: true }] : undefined;
}

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

**Fix**: the quick fix sets the input's H and W (where they are written as numbers) to 7 × the
output stride, which gives the head exactly 7x7. Or change the number of stride-2 stages, or drop the top.`,
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
        message: `The ${h}x${w} input is too small: ${small.id} gets a ${ih}x${iw} map. Its ${small.k}x${small.k} kernel (padding ${small.pad}) is larger than what ${input} leaves there: PyTorch raises "RuntimeError: Kernel size can't be greater than actual input size" on the first batch.`,
        range,
        stage: stageIdx ? Number(stageIdx[1]) : undefined,
        fixes: sevenBySeven(ctx, net.stages[net.stages.length - 1]?.outputStride),
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
      message: `The classifier head needs 7x7, stage ${last} outputs ${ph}x${pw} (${h}x${w} input). The head's AvgPool2d(7) cannot pool ${input}'s ${ph}x${pw} map: PyTorch raises "RuntimeError: Given input size: (${pc}x${ph}x${pw}). Calculated output size: (${pc}x${ph - 6}x${pw - 6}). Output size is too small" on the first batch.${exact ? ` At output stride ${stride}, a ${exact}x${exact} input gives exactly 7x7.` : ''}`,
      range,
      stage: last,
      related,
      fixes: sevenBySeven(ctx, stride),
    });
    return out;
  },
};

export default rule;

import type { Rule, Finding, Fix } from './types';
import type { Value } from '../python/values';
import { isSeq } from '../python/values';
import { intLike } from './support/configs';
import { backboneIntact, rangeIntact } from './support/trust';
import { dictInsertEdit } from './support/edits';

type Tensor = Extract<Value, { k: 'tensor' }>;

/** The channel dimension of an image tensor (N, C, H, W) or (C, H, W). */
function channelDim(t: Tensor): Value | undefined {
  if (t.shape.length === 4) return t.shape[1];
  if (t.shape.length === 3) return t.shape[0];
  return undefined;
}

const rule: Rule = {
  code: 'MVG016',
  name: 'input-channels',
  severity: 'error',
  category: 'crash',
  title: "deploy_inputs' channel count differs from input_channels × input_sequence_length",
  doc: `The stem conv is built for \`input_channels × input_sequence_length\` input channels (3 by
default). The tensor in \`deploy_inputs\` is what compile, export and on-board tools feed the
model; with another channel count the stem fails on it:

\`\`\`
RuntimeError: Given groups=1, weight of size [32, 3, 3, 3], expected input[1, 1, 224, 224] to have 3 channels, but got 1 channels instead
\`\`\`

With \`input_sequence_length = L > 1\` the backbone expects a list of L frames, each with
\`input_channels\` channels, concatenated on the channel axis; the total must match.

**Bad**: \`deploy_inputs = dict(img=torch.randn((1, 1, 224, 224)))\` with the default \`input_channels=3\`.

**Good**: \`torch.randn((1, 3, 224, 224))\`, or \`input_channels=1\` in the backbone for grey images.

**Fix**: the quick fixes set the tensor's channel count, or set \`input_channels\` in the backbone.`,
  check(ctx) {
    const net = ctx.net;
    const bb = ctx.ex.backbone;
    if (!net || !bb || !backboneIntact(ctx, bb)) return [];
    // input_channels and input_sequence_length must be known (written, or absent from a complete dict).
    for (const k of ['input_channels', 'input_sequence_length']) {
      if (net.args.unknownArgs.includes(k)) return [];
      if (!bb.entries.has(k) && !bb.complete) return [];
    }
    const ic = net.args.inputChannels;
    const L = net.args.inputSequenceLength;
    const deploy = ctx.ev.env.get('deploy_inputs');
    if (!deploy || !rangeIntact(ctx, deploy.def ?? deploy.r)) return [];
    let img: Value | undefined;
    if (deploy.k === 'dict') img = deploy.entries.get('img')?.value ?? [...deploy.entries.values()].find((e) => e.value.k === 'tensor' || isSeq(e.value))?.value;
    else img = deploy;
    if (!img) return [];
    // The tensors fed to the backbone: one image, or L frames.
    let frames: Tensor[];
    if (img.k === 'tensor') frames = [img];
    else if (isSeq(img) && img.items.length > 0 && img.items.every((i) => i.k === 'tensor')) frames = img.items as Tensor[];
    else return [];
    if (ic <= 0 || L <= 0 || frames.length !== L) return [];
    const dims = frames.map(channelDim);
    const cs = dims.map((d) => intLike(d));
    if (dims.some((d) => !d) || cs.some((c) => c === undefined || c <= 0)) return [];
    const total = (cs as number[]).reduce((a, b) => a + b, 0);
    const expected = ic * L;
    if (total === expected) return [];
    // The dimension to point at: the (first) frame whose channel count differs from input_channels.
    const bad = cs.findIndex((c) => c !== ic);
    const dim = dims[bad >= 0 ? bad : 0]!;
    const stemOut = net.stem?.cout;
    const t = frames[bad >= 0 ? bad : 0];
    const shapeText = t.shape.map((d) => (d.k === 'int' ? d.v : '?')).join(', ');
    const expectedText = L === 1 ? `input_channels=${ic}` : `input_channels × input_sequence_length = ${ic} × ${L} = ${expected}`;
    const fixes: Fix[] = [];
    if (dim.literal && L === 1) fixes.push({ title: `Set the input's channels to ${ic}`, edits: [{ range: dim.r, newText: String(ic) }], preferred: true });
    if (L === 1) {
      const c = cs[0]!;
      const e = bb.entries.get('input_channels');
      if (e && e.value.literal) fixes.push({ title: `Set input_channels=${c} in the backbone`, edits: [{ range: e.value.r, newText: String(c) }] });
      else if (!e) {
        const edit = dictInsertEdit(ctx.text, bb.dict, 'input_channels', String(c));
        if (edit) fixes.push({ title: `Set input_channels=${c} in the backbone`, edits: [edit] });
      }
    }
    const f: Finding = {
      code: rule.code,
      severity: rule.severity,
      message: `The input has ${total} channel${total === 1 ? '' : 's'}, the stem expects ${expected}. deploy_inputs has ${total} channel${total === 1 ? '' : 's'}${frames.length > 1 ? ` over ${frames.length} frames` : ` (shape (${shapeText}))`}, but the stem conv is built for ${expectedText}: it raises "RuntimeError: Given groups=1, weight of size [${stemOut ?? '…'}, ${expected}, 3, 3], expected input[…] to have ${expected} channels, but got ${total} channels instead".`,
      range: dim.r,
      related: [{ range: bb.entries.get('input_channels')?.itemRange ?? bb.entries.get('type')?.itemRange ?? bb.dict.node, message: bb.entries.has('input_channels') ? `input_channels=${ic}` : 'input_channels defaults to 3' }],
      fixes: fixes.length ? fixes : undefined,
    };
    return [f];
  },
};

export default rule;

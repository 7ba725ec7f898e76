import type { Rule, Finding, Fix } from './types';
import { fieldValue } from './support/configs';
import { routingUnchangedIf, simulateRouting, stageEdns } from './support/routing';
import { ownLiteral } from './support/edits';
import { joinAnd } from './support/wording';
import { plural, thousands } from '../format';

const rule: Rule = {
  code: 'MVG106',
  name: 'unused-downsample',
  severity: 'warning',
  category: 'silent',
  title: 'A downsample conv whose map never reaches any head',
  doc: `Each of a stage's \`extra_downsample_num\` convs (3x3/s2 + BN, chained) makes a map for HAT's fusion
lists, but a map is only used if the routing hands it to a head: the next stage gets
\`[x, 8x[i-2], 4x[i-1], 2x[i]]\` with \`i = stage − start\`, and only when that next stage's predecessor
emitted downsamples itself. A 4x or 8x map is forwarded two or three stages later only if every
stage in between also emits; the last stage's downsamples go nowhere when the backbone has no top
(it returns the stage outputs, not the downsamples). Such convs are trained, exported and run on the
BPU for nothing.

Maps that do reach a head that has no \`fusion_strides\` are reported by MVG101, not here.
The last stage's downsamples with \`include_top=True\` crash the head (a crash rule).

**Bad** (no top: the last stage's downsample is never used)

\`\`\`python
[MixVarGENetConfig(in_channels=96, out_channels=160, ..., extra_downsample_num=1)],   # last stage
backbone = dict(type="MixVarGENet", ..., include_top=False)
\`\`\`

**Good**

\`\`\`python
[MixVarGENetConfig(in_channels=96, out_channels=160, ..., extra_downsample_num=0)],
\`\`\`

**Fix**: the quick fix lowers \`extra_downsample_num\` to the number of maps actually used, when
that leaves the maps every later stage receives unchanged.`,
  check(ctx) {
    const net = ctx.net;
    if (!net) return [];
    const out: Finding[] = [];
    const edns = stageEdns(ctx);
    const routed = simulateRouting(edns);
    const n = net.stages.length;
    const topUnknown = net.args.unknownArgs.includes('include_top');
    const top = net.args.includeTop || topUnknown;
    for (let k = 0; k < n; k++) {
      const edn = edns[k];
      if (!edn) continue;
      const stage = net.stages[k];
      if (k === n - 1 && top) continue; // the head receives a list and crashes: a crash rule's
      // Maps of stage k can arrive at stages k+1..k+3 (8x[i-2] at the latest), or after the last stage (index n).
      const last = Math.min(n, k + 3);
      let knownRouting = true;
      let maxUsed = -1;
      for (let s = k + 1; s <= last; s++) {
        const r = routed[s];
        if (r === undefined) {
          knownRouting = false;
          break;
        }
        if (!r) continue;
        if (s === n && !top) continue; // without the top, whatever follows the last stage is discarded
        for (const m of r) if (m.fromStage === k) maxUsed = Math.max(maxUsed, Math.log2(m.scale) - 1);
      }
      if (!knownRouting) continue;
      const keep = maxUsed + 1;
      if (keep >= edn) continue;
      const dead = stage.downsamples.slice(keep, edn);
      const scales = Array.from({ length: edn - keep }, (_, j) => `${2 ** (keep + j + 1)}x`);
      const built = dead.length === edn - keep; // the model builds the convs only when the width is known
      const params = built && dead.every((c) => c.params !== null) ? dead.reduce((t, c) => t + (c.params ?? 0), 0) : null;
      const macs = built && dead.every((c) => c.macs !== null) ? dead.reduce((t, c) => t + (c.macs ?? 0), 0) : null;
      const ednV = fieldValue(stage.config, 'extra_downsample_num');
      if (!ednV) continue;
      const safe = routingUnchangedIf(edns, k, keep, k + 1, top);
      const why =
        k === n - 1
          ? 'the last stage\'s downsamples go nowhere without the top (the backbone returns stage outputs only)'
          : 'the fusion routing never hands ' + (scales.length === 1 ? 'it' : 'them') + ' to a later stage';
      const cost =
        params !== null
          ? `${plural(edn - keep, 'conv')}, ${thousands(params)} params${macs !== null ? ` and ${thousands(macs)} MACs` : ''} of dead weight`
          : `${plural(edn - keep, 'conv')} of dead weight`;
      const fixes: Fix[] = [];
      if (safe && ownLiteral(ctx, stage.config, ednV))
        fixes.push({ title: `Set extra_downsample_num=${keep} (stage ${k})`, edits: [{ range: ednV.r, newText: String(keep) }], preferred: true });
      out.push({
        code: rule.code,
        severity: rule.severity,
        message:
          `Stage ${k}'s ${joinAnd(scales)} ${scales.length === 1 ? 'map reaches' : 'maps reach'} no head (extra_downsample_num=${edn}). ` +
          `${why[0].toUpperCase()}${why.slice(1)}: ${cost}.` +
          (safe ? '' : ' (Lowering it would change what later stages receive: edit the routing by hand.)'),
        range: ednV.r,
        stage: k,
        unnecessary: keep === 0,
        fixes: fixes.length ? fixes : undefined,
      });
    }
    return out;
  },
};

export default rule;

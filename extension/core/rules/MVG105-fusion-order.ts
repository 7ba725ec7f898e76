import type { Rule, Finding } from './types';
import { isSeq } from '../python/values';
import { configsToCheck, fieldValue } from './support/configs';
import { unsortedFusion } from './support/routing';
import { isSeqDisplay, ownLiteral } from './support/edits';
import { dedupeFindings } from './support/findings';

const rule: Rule = {
  code: 'MVG105',
  name: 'fusion-order',
  severity: 'warning',
  category: 'silent',
  title: 'fusion_strides is not in ascending order',
  doc: `A fusing head receives its maps in a fixed order: \`[x, 8x[i-2], 4x[i-1], 2x[i]]\`, oldest (smallest
stride) source first. HAT does not look at which stage a map came from: it zips the maps with the
fusion layers **by position**, and each fusion layer's input width comes from the stage its
\`fusion_strides\` entry names. Out of order, the first fusion conv gets the second map: a conv shape
error when the widths differ, or, when they happen to match, a network wired differently from the
config (stage A's fusion weights applied to stage B's map).

**Bad**

\`\`\`python
MixVarGENetConfig(..., fusion_strides=[8, 4], ...)
\`\`\`

**Good**

\`\`\`python
MixVarGENetConfig(..., fusion_strides=[4, 8], ...)
\`\`\`

**Fix**: the quick fix sorts the list. When a map then reaches a fusion conv of another width, the
crash rule for fusion sources reports it instead (with the same fix).`,
  check(ctx) {
    const out: Finding[] = [];
    for (const { cfg, stage: st } of configsToCheck(ctx, 'stage')) {
      const bad = unsortedFusion(cfg);
      if (!bad) continue;
      // When a map reaches a fusion conv of the wrong width, the crash rule reports it (with the fix).
      if (st !== undefined && ctx.net?.stages[st]?.blocks[0]?.fusion.some((f) => f.crash)) continue;
      const fs = fieldValue(cfg, 'fusion_strides');
      if (!fs || !isSeq(fs)) continue;
      const { strides, at } = bad;
      const sortedItems = [...fs.items].sort((a, b) => (a as { v: number }).v - (b as { v: number }).v);
      const canFix = isSeqDisplay(ctx.text, fs) && ownLiteral(ctx, cfg, { ...fs, literal: true });
      const [open, close] = ctx.text[fs.r.start] === '(' ? ['(', ')'] : ['[', ']'];
      const newText = `${open}${sortedItems.map((i) => ctx.text.slice(i.r.start, i.r.end)).join(', ')}${close}`;
      const sorted = [...strides].sort((a, b) => a - b);
      out.push({
        code: rule.code,
        severity: rule.severity,
        message:
          `fusion_strides=[${strides.join(', ')}] is not ascending (${strides[at - 1]} before ${strides[at]}): the maps arrive in ` +
          `ascending-stride order and are matched to the fusion layers by position, so the layers get each other's maps. ` +
          `Write [${sorted.join(', ')}].`,
        range: fs.r,
        stage: st,
        fixes: canFix ? [{ title: `Sort: fusion_strides=[${sorted.join(', ')}]`, edits: [{ range: fs.r, newText }], preferred: true }] : undefined,
      });
    }
    return dedupeFindings(out);
  },
};

export default rule;

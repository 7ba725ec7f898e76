import type { Rule, Finding, Fix, TextEdit } from './types';
import { BACKBONE_ARGS } from '../schema';
import { allBackbones } from './support/configs';
import { backboneIntact } from './support/trust';
import { dictInsertEdit } from './support/edits';
import { headlineFirst, joinAnd, pyNames } from './support/wording';
import { nearest } from './support/spelling';
import { plural } from '../format';
import type { RuleContext } from './types';

const NAMES = BACKBONE_ARGS.map((a) => a.name);
const REQUIRED = BACKBONE_ARGS.filter((a) => a.required).map((a) => a.name);

/** Value to insert for a missing required argument: the module-level name when the file has one. */
function valueFor(ctx: RuleContext, name: string): string | undefined {
  const v = ctx.ev.env.get(name);
  if (name === 'num_classes') return v?.k === 'int' ? 'num_classes' : '1000';
  if (name === 'bn_kwargs') return v?.k === 'dict' ? 'bn_kwargs' : '{}';
  if (name === 'net_config') return v && (v.k === 'list' || v.k === 'tuple') ? 'net_config' : undefined;
  return undefined;
}

const rule: Rule = {
  code: 'MVG014',
  name: 'backbone-args',
  severity: 'error',
  category: 'crash',
  title: 'The MixVarGENet backbone dict lacks a required argument or has an unknown one',
  doc: `HAT builds the backbone by calling \`MixVarGENet(**kwargs)\` with the dict's entries (minus
\`type\`). \`net_config\`, \`num_classes\` and \`bn_kwargs\` have no default — \`num_classes\` is required
even with \`include_top=False\` — and any other key must be one of its arguments:

\`\`\`
TypeError: __init__() missing 1 required positional argument: 'num_classes'
TypeError: __init__() got an unexpected keyword argument 'num_class'
\`\`\`

This fails when the model is built, after the data pipeline has started, once per GPU rank.
A dict completed by \`**\` of something unknown is not checked for missing arguments.

**Bad**: \`backbone=dict(type="MixVarGENet", net_config=net_config, num_class=1000, bn_kwargs={})\`.

**Good**: \`backbone=dict(type="MixVarGENet", net_config=net_config, num_classes=1000, bn_kwargs={})\`.

**Fix**: a misspelt key is renamed to the nearest argument; a missing \`num_classes\` / \`bn_kwargs\`
is added (from the module-level \`num_classes\` / \`bn_kwargs\` when the file defines them).`,
  check(ctx) {
    const out: Finding[] = [];
    for (const bb of allBackbones(ctx)) {
      // A syntax error nearby can merge or split dicts: their keys are not what the user wrote.
      if (!backboneIntact(ctx, bb)) continue;
      const typeEntry = bb.entries.get('type');
      const anchor = typeEntry?.itemRange ?? bb.dict.node;
      const renamedTo = new Set<string>();
      for (const [key, e] of bb.entries) {
        if (NAMES.includes(key) || key.startsWith('__')) continue;
        const guess = nearest(key, NAMES.filter((n) => n !== 'type'));
        const taken = guess !== undefined && bb.entries.has(guess);
        const src = ctx.text.slice(e.keyRange.start, e.keyRange.end);
        const quote = /^["']/.test(src) ? src[0] : '';
        const fixes: Fix[] | undefined =
          guess && !taken && (quote || /^[A-Za-z_]\w*$/.test(src))
            ? [{ title: `Rename to ${guess}`, edits: [{ range: e.keyRange, newText: `${quote}${guess}${quote}` }], preferred: true }]
            : undefined;
        if (guess && !taken) renamedTo.add(guess);
        const hint = guess ? (taken ? ` (${guess} is already given)` : `: did you mean ${guess}?`) : '';
        out.push({
          code: rule.code,
          severity: rule.severity,
          message: headlineFirst(`Unknown backbone argument "${key}"${hint}`, `MixVarGENet has no such argument: building the backbone raises "TypeError: __init__() got an unexpected keyword argument '${key}'".`),
          range: e.keyRange,
          related: [{ range: anchor, message: 'the MixVarGENet backbone' }],
          fixes,
        });
      }
      if (!bb.complete) continue;
      // A missing argument that a misspelt key was meant to be is reported (and fixed) there.
      const missing = REQUIRED.filter((n) => !bb.entries.has(n) && !renamedTo.has(n));
      if (missing.length === 0) continue;
      const edits: TextEdit[] = [];
      let fixable = true;
      for (const m of missing) {
        const val = valueFor(ctx, m);
        const edit = val !== undefined ? dictInsertEdit(ctx.text, bb.dict, m, val) : undefined;
        if (!edit) fixable = false;
        else edits.push(edit);
      }
      // Several inserts at one point: merge them into one edit, in order.
      const merged: TextEdit[] = fixable && edits.length ? [{ range: edits[0].range, newText: edits.map((e, i) => (i === 0 ? e.newText : e.newText.replace(/^\s*,?\s*/, ', '))).join('') }] : [];
      out.push({
        code: rule.code,
        severity: rule.severity,
        message: `The MixVarGENet backbone is missing ${joinAnd(missing)}. Building it raises "TypeError: __init__() missing ${plural(missing.length, 'required positional argument')}: ${pyNames(missing)}"${missing.includes('num_classes') ? ' (num_classes is required even without the classifier head)' : ''}.`,
        range: anchor,
        fixes: merged.length ? [{ title: `Add ${joinAnd(missing)}`, edits: merged, preferred: true }] : undefined,
      });
    }
    return out;
  },
};

export default rule;

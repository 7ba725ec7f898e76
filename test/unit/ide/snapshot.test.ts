import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze } from '../../../extension/core/analyze';
import { toSnapshot } from '../../../extension/core/ide/snapshot';
import { statusText, networkSummaryMarkdown, statusTooltip } from '../../../extension/core/ide/summary';
import { FUSION, ROOT, SEED, replaceOnce } from './helpers';
import { rendered } from '../rendered';

describe('ide/snapshot and summary', () => {
  it('is structured-clone safe and keeps the network facts', () => {
    const snap = toSnapshot(analyze(SEED), { uri: 'file:///seed.py', version: 3 });
    const clone = structuredClone(snap);
    assert.deepEqual(clone, snap);
    assert.deepEqual(JSON.parse(JSON.stringify(snap)).stages.length, 5);
    assert.equal(snap.params, 2_310_744);
    assert.equal(snap.macs, 1_033_746_432);
    assert.equal(snap.stages[4].outputStride, 32);
    assert.deepEqual(snap.stages[4].outShape, [160, 7, 7]);
    assert.equal(snap.target, 'J5');
    assert.equal(snap.targetFromFile, true);
    assert.equal(snap.findings.length, 0);
    assert.equal(snap.nextReceived, null);
  });

  it('gives findings line/character ranges on the right tokens, with their fixes', () => {
    const text = replaceOnce(SEED, 'MixVarGENetConfig(in_channels=64, out_channels=96', 'MixVarGENetConfig(in_channels=48, out_channels=96');
    const snap = toSnapshot(analyze(text), { uri: 'u', version: 1 });
    const f = snap.findings.find((x) => x.code === 'MVG002')!;
    assert.ok(f, 'channel-chain finding');
    const lines = text.split('\n');
    assert.equal(lines[f.range.from.line].slice(f.range.from.character, f.range.to.character), '48');
    assert.equal(f.rule, 'channel-chain');
    assert.equal(f.related.length, 1);
    assert.equal(lines[f.related[0].range.from.line].slice(f.related[0].range.from.character, f.related[0].range.to.character), '64');
    assert.equal(f.fixes[0].preferred, true);
    assert.equal(f.fixes[0].edits[0].newText, '64');
    assert.equal(snap.counts.error >= 1, true);
    assert.equal(snap.stages[3].counts.error >= 1, true);
  });

  it('formats the status line, tooltip and summary', () => {
    const snap = toSnapshot(analyze(SEED), { uri: 'u', version: 1 });
    assert.equal(statusText(snap), 'MixVarGENet · 5 stages · 2.31M params · 1.03 GMAC · J5');
    assert.match(statusTooltip(snap), /2,310,744 params · 1,033,746,432 MACs · no problems/);
    assert.doesNotMatch(statusTooltip(snap), /faded dots/, 'no word on hints without hints');
    // Every part has its row — the stem and the head too (the head is 52% of the params) — so the rows add up.
    const parts = statusTooltip(snap).split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| part')).map((l) => l.split('|')[1].trim());
    assert.deepEqual(parts, ['stem', 'stage 0 /2', 'stage 1 /4', 'stage 2 /8', 'stage 3 /16', 'stage 4 /32', 'head', 'total']);
    assert.match(statusTooltip(snap), /\| head \| 1000×1×1 \| 1\.19M \(52%\) \| 9\.05M \(0\.9%\) \|/);
    const md = networkSummaryMarkdown(snap, 'configs/x.py');
    assert.match(md, /\*\*2,310,744 parameters\*\*/);
    assert.match(md, /\| 3 \| 64→96 \| \/16 \| 96×14×14 \| mixvarge_f2_gb16, mixvarge_f2_gb16 ×6 \| 319,488 \|/);
    assert.match(md, /\| head \| 160→1000 \|/);
    const fusion = toSnapshot(analyze(FUSION), { uri: 'u', version: 1 });
    assert.match(rendered(networkSummaryMarkdown(fusion, 'f.py')).text, /fuses 4 ← stage 1 ↓4 \(32 ch, 14×14\); 8 ← stage 2 ↓2 \(64 ch, 14×14\)/);
  });

  it('counts the hints VS Code leaves out of its Problems panel and status item (issue 13)', () => {
    // The fusion example has one J5 design hint (MVG203, stage 1's map consumed by stage 4).
    const example = readFileSync(join(ROOT, 'examples', 'configs', 'mixvargenet_fusion.py'), 'utf8');
    const fusion = toSnapshot(analyze(example), { uri: 'u', version: 1 });
    assert.match(statusText(fusion), /^MixVarGENet · 5 stages · [\d.]+M params · [\d.]+ GMAC · J5 · 1 hint$/);
    assert.match(statusTooltip(fusion), /· 1 hint\n/);
    assert.match(statusTooltip(fusion), /faded dots in the editor, not in the Problems panel; `mixvargenet\.severity\.guidance: information`/);
    // Listed as information instead: VS Code counts it itself, and so does the tooltip.
    const info = toSnapshot(analyze(example, { severity: { guidance: 'information' } }), { uri: 'u', version: 1 });
    assert.equal(statusText(info), statusText(fusion).replace(' · 1 hint', ''));
    assert.match(statusTooltip(info), /· 1 info\n/);
    assert.match(statusText({ ...fusion, counts: { ...fusion.counts, hint: 2 } }), / · J5 · 2 hints$/);
  });

  it('writes partial totals when a value cannot be known', () => {
    const text = replaceOnce(SEED, 'out_channels=160', 'out_channels=width');
    const snap = toSnapshot(analyze(text), { uri: 'u', version: 1 });
    assert.equal(snap.params, null);
    assert.match(statusText(snap), /^MixVarGENet · 5 stages · ≥[\d.]+K params · ≥[\d.]+ [KMG]MAC · J5$/);
  });

  it('says so when a file mentions MixVarGENetConfig but has no net_config', () => {
    const snap = toSnapshot(analyze('from hat.models.backbones.mixvargenet import MixVarGENetConfig\n\ndef stage(c):\n    return MixVarGENetConfig(c, c, "mixvarge_f2", [], 1)\n'), { uri: 'u', version: 1 });
    assert.equal(snap.relevant, true);
    assert.equal(statusText(snap), 'MixVarGENet · no net_config · J5');
  });
});

// Node text readable at the first view (issue 13, point 12): no node text is set below NODE_FONT_MIN layout units,
// and the first view never scales it below MIN_SCREEN_FONT_PX on screen (webview/readable.ts).
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze } from '../../../extension/core/analyze';
import { toSnapshot } from '../../../extension/core/ide/snapshot';
import { buildGraph } from '../../../extension/core/graph/model';
import { LAYOUT, layoutGraph } from '../../../extension/core/graph/layout';
import { FONT, GRAPH_CSS, NODE_FONT_MIN } from '../../../webview/graphStyle';
import { fitView, initialView, MIN_SCREEN_FONT_PX, READABLE_SCALE } from '../../../webview/readable';
import { ROOT } from '../ide/helpers';

/** GRAPH_CSS with the FONT sizes filled in, as the template literal builds it: [selector, font size px] per rule. */
function fontRules(): [string, number][] {
  return [...GRAPH_CSS.matchAll(/^([^{}\n]+)\{[^}]*font-size:\s*([\d.]+)px/gm)].map((m) => [m[1].trim(), Number(m[2])]);
}

describe('graph: readable node text', () => {
  it('no text inside a node or on an edge is set below 11 px; the first view keeps it at 10 px or more on screen', () => {
    const rules = fontRules();
    const nodeRules = rules.filter(([sel]) => /\.node\b|\.edge-label/.test(sel));
    assert.ok(nodeRules.length >= 9, nodeRules.map((r) => r[0]).join(' | '));
    for (const [sel, px] of nodeRules) assert.ok(px >= 11, `${sel}: ${px}px`);
    assert.equal(NODE_FONT_MIN, 11);
    assert.equal(Math.min(...nodeRules.map((r) => r[1])), NODE_FONT_MIN, 'NODE_FONT_MIN is the smallest size the style sheet sets');
    assert.equal(MIN_SCREEN_FONT_PX, 10);
    assert.ok(Math.abs(NODE_FONT_MIN * READABLE_SCALE - 10) < 1e-9);
    assert.ok(FONT.label > FONT.sub && FONT.sub >= FONT.small);
  });

  it('a picture that fits at a readable scale is fitted: centred, at most 150 %', () => {
    // 1000×1000 canvas, 500×400 picture: min(2, 2.5) × 0.96 = 1.92 → capped at 1.5; centred: (1000 − 750) / 2 = 125, (1000 − 600) / 2 = 200.
    assert.deepEqual(initialView(1000, 1000, 500, 400), { k: 1.5, x: 125, y: 200 });
    // 600×900 canvas, 500×800 picture: min(1.2, 1.125) × 0.96 = 1.08 ≥ 10/11: the fit.
    const v = initialView(600, 900, 500, 800);
    assert.ok(Math.abs(v.k - 1.08) < 1e-9, String(v.k));
    assert.deepEqual(v, fitView(600, 900, 500, 800));
  });

  it('a picture that does not: 10/11 from the top, the spine from the left (the fusion example in a half-width panel)', () => {
    const text = readFileSync(join(ROOT, 'examples', 'configs', 'mixvargenet_fusion.py'), 'utf8');
    const lay = layoutGraph(buildGraph(toSnapshot(analyze(text), { uri: 'file:///w/f.py', version: 1 })), { expanded: new Set() });
    // A 510×650 canvas (the preview beside the editor in a 1400×900 window).
    const fit = fitView(510, 650, lay.width, lay.height);
    assert.ok(fit.k < 0.6, `the whole picture would need ${fit.k.toFixed(2)}: ${(fit.k * NODE_FONT_MIN).toFixed(1)} px text`);
    const v = initialView(510, 650, lay.width, lay.height);
    assert.deepEqual(v, { k: 10 / 11, x: 0, y: 0 });
    // The spine (input … output column) is within the canvas's width at that scale.
    assert.ok((LAYOUT.margin + LAYOUT.spineW) * v.k < 510);
    // Narrower than the canvas at that scale: centred instead.
    const narrow = initialView(510, 300, 400, 2000);
    assert.equal(narrow.k, 10 / 11);
    assert.ok(Math.abs(narrow.x - (510 - 400 * (10 / 11)) / 2) < 1e-9);
    assert.equal(narrow.y, 0);
  });
});

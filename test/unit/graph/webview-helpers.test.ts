/**
 * The graph webview's pure helpers (webview/format.ts, colors.ts, labels.ts, graphStyle.ts): number
 * formatting, text fitting, edge paths, the theme-resolving CSS rewrite of the SVG export, the fill ramp
 * (text stays readable in every theme) and the edge-label placement on real layouts.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expandAllIds, layoutGraph } from '../../../extension/core/graph/layout';
import type { GraphModel, Layout, StageRow } from '../../../extension/core/graph/types';
import { contrast, fillRamp, heat, HEAT_STOPS, MIN_TEXT_CONTRAST, minTextContrast, parseColor, rampIndex, toHex } from '../../../webview/colors';
import { cssVarNames, escapeXml, fitText, formatBytes, formatCount, formatShape, formatShare, resolveCssVars, roundedPath, sortStages } from '../../../webview/format';
import { GRAPH_CSS } from '../../../webview/graphStyle';
import { FRAME_HEAD, labelPositions } from '../../../webview/labels';
import { ROOT } from '../ide/helpers';

const fixture = (name: string): GraphModel => JSON.parse(readFileSync(join(ROOT, 'test', 'fixtures', 'graph', `${name}.model.json`), 'utf8')) as GraphModel;

describe('graph webview: formatting', () => {
  it('formats counts with SI suffixes and 3 significant digits', () => {
    assert.equal(formatCount(950), '950');
    assert.equal(formatCount(1000), '1K');
    assert.equal(formatCount(20768), '20.8K');
    assert.equal(formatCount(1089592320), '1.09G');
    assert.equal(formatCount(2706264), '2.71M');
    assert.equal(formatCount(153376), '153K');
    assert.equal(formatCount(null), '?');
    assert.equal(formatCount(Number.NaN), '?');
  });

  it('formats bytes, shapes and shares', () => {
    assert.equal(formatBytes(18895264), '18.9 MB');
    assert.equal(formatBytes(512), '512 B');
    assert.equal(formatShape([64, 28, 28]), '64×28×28');
    assert.equal(formatShape(null), '?');
    assert.equal(formatShare(0.2357772859485647), '23.6%');
    assert.equal(formatShare(0.0146), '1.46%');
  });

  it('fits text to a width with an ellipsis, leaving short text alone', () => {
    assert.equal(fitText('stage 2', 100, 7), 'stage 2');
    const cut = fitText('32→64 · s2 · 3 blocks · 1 fusion in · 2 out', 100, 6);
    assert.ok(cut.endsWith('…'), cut);
    assert.ok(Array.from(cut).length <= Math.floor(100 / 6), cut);
    assert.ok('32→64 · s2 · 3 blocks · 1 fusion in · 2 out'.startsWith(cut.slice(0, -1)));
    assert.equal(fitText('abc', 3, 6), '');
  });

  it('rounds the corners of a polyline and keeps straight runs straight', () => {
    assert.equal(roundedPath([[10, 0], [10, 50]], 8), 'M10,0L10,50');
    const d = roundedPath([[0, 0], [0, 100], [100, 100]], 10);
    // Straight down to 10 before the corner, a curve controlled by the corner, then straight on.
    assert.match(d, /^M0,0L0,90Q0,100 10,100L100,100$/);
    // A short segment limits the radius to half its length.
    const short = roundedPath([[0, 0], [0, 6], [50, 6]], 10);
    assert.match(short, /L0,3Q0,6 3,6/);
    // Repeated and non-finite points are dropped.
    assert.equal(roundedPath([[1, 1], [1, 1], [Number.NaN, 3], [1, 9]], 5), 'M1,1L1,9');
    assert.equal(roundedPath([], 5), '');
  });

  it('sorts stage rows by a column, stable on ties', () => {
    const row = (index: number, macs: number | null): StageRow => ({ id: `s${index}`, index, label: `stage ${index}`, ops: '', blocks: 1, params: 1, macs, share: null, outShape: null, outStride: null, timeMs: null });
    const rows = [row(0, 5), row(1, 9), row(2, 5), row(3, null)];
    assert.deepEqual(sortStages(rows, 'macs', true).map((r) => r.index), [1, 0, 2, 3]);
    assert.deepEqual(sortStages(rows, 'macs', false).map((r) => r.index), [3, 0, 2, 1]);
    assert.deepEqual(sortStages(rows, 'index', false).map((r) => r.index), [0, 1, 2, 3]);
  });

  it('escapes XML', () => {
    assert.equal(escapeXml(`a<b & "c" 'd'>`), 'a&lt;b &amp; &quot;c&quot; &#39;d&#39;&gt;');
  });
});

describe('graph webview: CSS variables of the SVG export', () => {
  const theme = new Map([
    ['--vscode-foreground', '#cccccc'],
    ['--vscode-editor-background', '#1f1f1f'],
  ]);
  it('replaces a variable by the theme value, else its fallback, else currentColor', () => {
    assert.equal(resolveCssVars('a{fill:var(--vscode-foreground, #333)}', (n) => theme.get(n)), 'a{fill:#cccccc}');
    assert.equal(resolveCssVars('a{fill:var(--nope, #333)}', (n) => theme.get(n)), 'a{fill:#333}');
    assert.equal(resolveCssVars('a{fill:var(--nope, var(--vscode-editor-background, red))}', (n) => theme.get(n)), 'a{fill:#1f1f1f}');
    assert.equal(resolveCssVars('a{fill:var(--nope)} b{x:1}', () => undefined), 'a{fill:currentColor} b{x:1}');
    assert.equal(resolveCssVars('a{font:var(--f, ui-monospace, "SF Mono", monospace)}', () => undefined), 'a{font:ui-monospace, "SF Mono", monospace}');
  });

  it('leaves no var() in the graph style sheet, whatever the theme defines', () => {
    const names = cssVarNames(GRAPH_CSS);
    assert.ok(names.includes('--vscode-foreground') && names.includes('--vscode-charts-purple'), names.join());
    for (const lookup of [() => undefined, (n: string) => theme.get(n)]) {
      const css = resolveCssVars(GRAPH_CSS, lookup);
      assert.ok(!css.includes('var('), css.slice(css.indexOf('var('), css.indexOf('var(') + 80));
    }
    assert.ok(resolveCssVars(GRAPH_CSS, (n) => theme.get(n)).includes('#cccccc'));
  });
});

describe('graph webview: colours', () => {
  it('parses the colour forms VS Code themes use', () => {
    assert.deepEqual(parseColor('#fff'), { r: 255, g: 255, b: 255, a: 1 });
    assert.deepEqual(parseColor('#1f1f1f'), { r: 31, g: 31, b: 31, a: 1 });
    assert.equal(parseColor('#ccccccb3')?.a.toFixed(2), '0.70');
    assert.deepEqual(parseColor('rgba(0, 0, 0, 0.36)'), { r: 0, g: 0, b: 0, a: 0.36 });
    assert.deepEqual(parseColor('rgb(90 93 94 / 31%)'), { r: 90, g: 93, b: 94, a: 0.31 });
    assert.equal(parseColor('not a colour'), null);
    assert.equal(parseColor(''), null);
    assert.equal(contrast(parseColor('#000') as never, parseColor('#fff') as never).toFixed(0), '21');
  });

  const themes = {
    dark: { background: '#1f1f1f', foreground: '#cccccc' },
    light: { background: '#ffffff', foreground: '#3b3b3b' },
    hcDark: { background: '#000000', foreground: '#ffffff' },
    hcLight: { background: '#ffffff', foreground: '#292929' },
    solarizedLight: { background: '#fdf6e3', foreground: '#657b83' },
  };
  for (const [name, t] of Object.entries(themes)) {
    it(`keeps node text readable on every fill (${name})`, () => {
      const ramp = fillRamp(t, 32);
      assert.equal(ramp.length, 32);
      const fg = parseColor(t.foreground) as never;
      const base = minTextContrast(contrast(fg, parseColor(t.background) as never));
      if (name !== 'solarizedLight') assert.equal(base, MIN_TEXT_CONTRAST);
      for (const c of ramp) assert.ok(contrast(fg, parseColor(c) as never) >= base - 1e-9, `${c} on ${name}: ${contrast(fg, parseColor(c) as never).toFixed(2)}`);
      // The ramp shows a difference: the costliest fill is further from the background than the cheapest.
      const bg = parseColor(t.background) as never;
      const dist = (c: string) => {
        const p = parseColor(c) as { r: number; g: number; b: number };
        const q = bg as { r: number; g: number; b: number };
        return Math.hypot(p.r - q.r, p.g - q.g, p.b - q.b);
      };
      assert.ok(dist(ramp[31]) > dist(ramp[0]) + (name === 'solarizedLight' ? 12 : 40), `${name}: ${ramp[0]} → ${ramp[31]}`);
    });
  }

  it('a raw heat colour would not be readable on a light theme (why the ramp is limited)', () => {
    const raw = heat(1);
    assert.equal(toHex(raw), HEAT_STOPS[HEAT_STOPS.length - 1]);
    assert.ok(contrast(parseColor('#3b3b3b') as never, raw) < MIN_TEXT_CONTRAST);
  });

  it('indexes a ramp by t in 0..1, clamped', () => {
    assert.equal(rampIndex(0, 32), 0);
    assert.equal(rampIndex(1, 32), 31);
    assert.equal(rampIndex(2, 32), 31);
    assert.equal(rampIndex(-1, 32), 0);
    assert.equal(rampIndex(Number.NaN, 32), 0);
  });
});

describe('graph webview: edge labels', () => {
  // Label boxes from an estimate of the text (10px monospace: 6.1px a character, 10px tall).
  type Box = { id: string; x0: number; x1: number; y0: number; y1: number };
  function boxes(layout: Layout): Box[] {
    const pos = labelPositions(layout);
    return layout.edges
      .filter((e) => pos.has(e.id))
      .map((e) => {
        const [x, y] = pos.get(e.id) as [number, number];
        const w = e.label.length * 6.1;
        const x0 = e.kind === 'emit' ? x - w / 2 : x;
        return { id: e.id, x0, x1: x0 + w, y0: y - 8, y1: y + 2 };
      });
  }
  const overlap = (a: Box, b: Box) => a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;

  for (const name of ['seed', 'fusion']) {
    for (const level of ['collapsed', 'stages', 'convs'] as const) {
      it(`no two labels overprint and none sits on a stage's title (${name}, ${level})`, () => {
        const model = fixture(name);
        const expanded = new Set(level === 'collapsed' ? [] : expandAllIds(model, level === 'stages' ? 'stages' : 'convs'));
        const layout = layoutGraph(model, { expanded });
        const bs = boxes(layout);
        assert.ok(bs.length > 0);
        for (let i = 0; i < bs.length; i++) for (let j = i + 1; j < bs.length; j++) assert.ok(!overlap(bs[i], bs[j]), `${bs[i].id} overprints ${bs[j].id}`);
        for (const f of layout.nodes.filter((n) => n.container)) {
          for (const b of bs) {
            const inBand = b.x0 < f.x + f.w && b.x1 > f.x && b.y1 > f.y && b.y0 < f.y + FRAME_HEAD;
            assert.ok(!inBand, `${b.id} is written over the title of ${f.id}`);
          }
        }
      });
    }
  }

  it('every fusion edge of the fusion example keeps its label ("fusion s8 · 64ch")', () => {
    const model = fixture('fusion');
    const layout = layoutGraph(model, { expanded: new Set() });
    const pos = labelPositions(layout);
    const fusion = layout.edges.filter((e) => e.kind === 'fusion');
    assert.ok(fusion.length > 0);
    for (const e of fusion) {
      assert.ok(pos.has(e.id), e.id);
      assert.match(e.label, /^fusion s\d+ · \d+ch$/);
    }
  });

  it('drops an emit label that does not fit between its nodes, keeps one that does', () => {
    const layout: Layout = {
      width: 500,
      height: 100,
      nodes: [],
      edges: [
        { id: 'a', kind: 'emit', from: 'x', to: 'y', edges: ['a'], points: [[0, 10], [30, 10]], label: '32×28×28', labelAt: [15, 4] },
        { id: 'b', kind: 'emit', from: 'x', to: 'y', edges: ['b'], points: [[0, 50], [90, 50]], label: '32×28×28', labelAt: [45, 44] },
      ],
    };
    const pos = labelPositions(layout);
    assert.equal(pos.has('a'), false);
    assert.deepEqual(pos.get('b'), [45, 44]);
  });
});

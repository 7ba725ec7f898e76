/**
 * The graph webview's page: the skeleton (header, toolbar, banner, canvas, table; ids and classes are the DOM
 * contract of webview/README.md) and handles on the elements the other modules use.
 */
import { GRAPH_CSS } from './graphStyle';
import { GraphRenderer } from './render';
import { registerToolkit } from './toolkit';

registerToolkit();
const app = document.getElementById('app') ?? document.body;
app.innerHTML = `
<header id="header" aria-label="Network summary">
  <div class="title-row">
    <span class="codicon codicon-type-hierarchy" aria-hidden="true"></span>
    <span id="file-name" class="file-name">MixVarGENet graph</span>
    <span id="target" class="chip" hidden></span>
    <span id="counts" class="counts"></span>
    <span id="notes-toggle" class="notes" hidden></span>
  </div>
  <div id="totals" class="totals"></div>
  <div id="hat-results" class="hat-results" hidden></div>
  <div id="diff-summary" class="diff-summary" hidden></div>
</header>
<div id="toolbar" role="toolbar" aria-label="Graph tools">
  <label class="tb-label" for="measure">Colour by</label>
  <vscode-dropdown id="measure" aria-label="Colour nodes by">
    <vscode-option value="macs">MACs</vscode-option>
    <vscode-option value="params">Parameters</vscode-option>
    <vscode-option value="activation">Activation bytes</vscode-option>
    <vscode-option value="time">Measured time</vscode-option>
  </vscode-dropdown>
  <span class="tb-sep"></span>
  <vscode-button id="btn-expand" appearance="icon" aria-label="Expand all stages" title="Expand all stages"><span class="codicon codicon-expand-all"></span></vscode-button>
  <vscode-button id="btn-collapse" appearance="icon" aria-label="Collapse all" title="Collapse all"><span class="codicon codicon-collapse-all"></span></vscode-button>
  <span class="tb-sep"></span>
  <vscode-button id="btn-zoom-in" appearance="icon" aria-label="Zoom in" title="Zoom in"><span class="codicon codicon-zoom-in"></span></vscode-button>
  <vscode-button id="btn-zoom-out" appearance="icon" aria-label="Zoom out" title="Zoom out"><span class="codicon codicon-zoom-out"></span></vscode-button>
  <vscode-button id="btn-fit" appearance="icon" aria-label="Fit to view (0)" title="Fit to view (0)"><span class="codicon codicon-screen-full"></span></vscode-button>
  <vscode-button id="btn-reset" appearance="icon" aria-label="Reset zoom (100%)" title="Reset zoom (100%)"><span class="codicon codicon-discard"></span></vscode-button>
  <span class="tb-sep"></span>
  <vscode-text-field id="find" placeholder="Find node or op" aria-label="Find a node by name or op (Enter: next match)" size="18">
    <span slot="start" class="codicon codicon-search"></span>
  </vscode-text-field>
  <span id="find-count" class="find-count" aria-live="polite"></span>
  <span class="tb-grow"></span>
  <vscode-button id="btn-table" appearance="icon" aria-label="Show cost table" title="Show cost table" aria-pressed="false"><span class="codicon codicon-table"></span></vscode-button>
  <vscode-button id="btn-copy" appearance="icon" aria-label="Copy as SVG" title="Copy as SVG"><span class="codicon codicon-copy"></span></vscode-button>
  <vscode-button id="btn-svg" appearance="icon" aria-label="Export SVG" title="Export SVG…"><span class="codicon codicon-export"></span></vscode-button>
  <vscode-button id="btn-png" appearance="icon" aria-label="Export PNG" title="Export PNG…"><span class="codicon codicon-file-media"></span></vscode-button>
</div>
<div id="stale-banner" role="status" hidden><span class="codicon codicon-warning" aria-hidden="true"></span><span id="stale-text"></span></div>
<details id="notes" hidden><summary id="notes-summary"></summary><ul id="notes-list"></ul></details>
<main id="canvas">
  <svg id="graph" role="tree" aria-label="Network graph" tabindex="-1"></svg>
  <div id="empty" hidden></div>
</main>
<div id="legend" role="note" aria-label="Legend"></div>
<section id="table-panel" hidden aria-label="Cost per stage">
  <table id="cost-table"><thead></thead><tbody></tbody></table>
</section>`;

export const $ = <T extends Element = HTMLElement>(sel: string) => document.querySelector(sel) as T;
export const svg = $<SVGSVGElement>('svg#graph');
export const renderer = new GraphRenderer(svg, GRAPH_CSS);
export const measureEl = $('#measure');
export const findEl = $('#find');

export const reducedMotion = () => typeof matchMedia === 'function' && matchMedia('(prefers-reduced-motion: reduce)').matches;

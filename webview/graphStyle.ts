/**
 * The SVG's own style sheet. It lives in the SVG (a <style> element) rather than in styles.css so that
 * the SVG export carries exactly the same rules, with the `--vscode-*` variables resolved to the
 * theme's values (format.ts resolveCssVars). Pure (a string): unit tests import it.
 */

/**
 * Font sizes of the text inside nodes and on edges, in layout units. The smallest, NODE_FONT_MIN, decides the zoom
 * at which the first view is still readable (readable.ts); render.ts estimates text widths from these sizes.
 */
export const FONT = { label: 13.5, sub: 11.5, small: 11, edge: 11 } as const;
export const NODE_FONT_MIN = Math.min(FONT.label, FONT.sub, FONT.small);

export const GRAPH_CSS = `
svg#graph text, svg.mvg-graph text { text-rendering: optimizeSpeed; }
svg#graph, svg.mvg-graph { font-family: var(--vscode-font-family, system-ui, -apple-system, "Segoe UI", sans-serif); font-size: 12px; }
.node .box { stroke: var(--vscode-editorWidget-border, var(--vscode-widget-border, #80808080)); stroke-width: 1; }
.node .label { fill: var(--vscode-foreground, #333); font-weight: 600; font-size: ${FONT.label}px; }
.node .sub { fill: var(--vscode-foreground, #333); opacity: 0.82; font-size: ${FONT.sub}px; }
.node.kind-downsample .sub { font-size: ${FONT.small}px; }
.node .nums { fill: var(--vscode-foreground, #333); opacity: 0.9; font-size: ${FONT.small}px; font-family: var(--vscode-editor-font-family, ui-monospace, "SF Mono", Menlo, Consolas, monospace); }
.node .nums .k { opacity: 0.7; }
.node .shape { fill: var(--vscode-foreground, #333); opacity: 0.9; font-size: ${FONT.small}px; font-family: var(--vscode-editor-font-family, ui-monospace, Menlo, Consolas, monospace); }
.node .rows-bg { fill: var(--vscode-editor-background, #fff); opacity: 0.55; }
.node .row { fill: var(--vscode-foreground, #333); font-size: ${FONT.small}px; font-family: var(--vscode-editor-font-family, ui-monospace, Menlo, Consolas, monospace); }
.node .row .rn { font-weight: 600; }
.node .row.problem, .node .row .problem { fill: var(--vscode-errorForeground, #e51400); }
.node .row-sep { stroke: var(--vscode-editorWidget-border, #80808040); stroke-width: 0.5; opacity: 0.6; }
.node .chev { fill: none; stroke: var(--vscode-foreground, #333); stroke-width: 1.6; stroke-linecap: round; stroke-linejoin: round; opacity: 0.75; }
.node .chev-hit { fill: transparent; cursor: pointer; }
.node .chev-hit:hover + .chev, .node .chev-hit:hover ~ .chev { opacity: 1; }
.node.kind-input .box, .node.kind-output .box { fill: var(--vscode-editorWidget-background, #f3f3f3); stroke-dasharray: none; }
.node.unknown .box { fill: var(--vscode-editorWidget-background, #f3f3f3); stroke-dasharray: 4 3; }
.node.container .box { fill: var(--vscode-editor-background, #fff); stroke: var(--vscode-editorWidget-border, var(--vscode-panel-border, #80808080)); stroke-width: 1.2; }
.node.container .frame-head { fill: var(--vscode-editorWidget-background, #f3f3f3); }
.node.container .frame-text { paint-order: stroke; stroke: var(--vscode-editorWidget-background, #f3f3f3); stroke-width: 4px; stroke-linejoin: round; }
.node.container .frame-rule { stroke: var(--vscode-editorWidget-border, #80808080); stroke-width: 1; }
.node.problem .box { stroke: var(--vscode-errorForeground, #e51400); stroke-width: 2; }
.node.has-warning:not(.problem) .box { stroke: var(--vscode-editorWarning-foreground, #bf8803); stroke-width: 1.5; }
.node.has-error .box { stroke: var(--vscode-errorForeground, #e51400); stroke-width: 2; }
.node .problem-text { fill: var(--vscode-errorForeground, #e51400); font-size: ${FONT.small}px; font-weight: 600; }
.node.diff-added .box { stroke: var(--vscode-gitDecoration-addedResourceForeground, #587c0c); stroke-width: 2.5; }
.node.diff-changed .box { stroke: var(--vscode-gitDecoration-modifiedResourceForeground, #895503); stroke-width: 2.5; stroke-dasharray: 6 2; }
.node.match .box { stroke: var(--vscode-charts-orange, #d18616); stroke-width: 2; stroke-dasharray: 5 3; }
.node.match.current-match .box { stroke-width: 3; stroke-dasharray: none; }
.node.highlighted .halo { fill: none; stroke: var(--vscode-charts-blue, #1a85ff); stroke-width: 3; opacity: 0.9; }
.node.selected .box { stroke: var(--vscode-focusBorder, #0090f1); stroke-width: 2.5; }
.node .halo { fill: none; stroke: none; }
.node:focus { outline: none; }
.node:focus-visible .halo, .node.focused .halo { stroke: var(--vscode-focusBorder, #0090f1); stroke-width: 2; stroke-dasharray: 3 2; }
.node .badge-err { fill: var(--vscode-errorForeground, #e51400); }
.node .badge-warn { fill: var(--vscode-editorWarning-foreground, #bf8803); }
.node .badge-text { fill: var(--vscode-editor-background, #fff); font-size: ${FONT.small}px; font-weight: 700; text-anchor: middle; }
.node { cursor: pointer; }
.edge .line { fill: none; stroke: var(--vscode-foreground, #333); stroke-opacity: 0.55; stroke-width: 1.4; }
.edge.kind-emit .line { stroke: var(--vscode-descriptionForeground, #717171); stroke-dasharray: 2 3; stroke-opacity: 0.9; }
.edge.kind-fusion .line { stroke: var(--vscode-charts-purple, #b180d7); stroke-opacity: 1; stroke-width: 1.6; stroke-dasharray: 6 3; }
.edge.problem .line { stroke: var(--vscode-errorForeground, #e51400); stroke-opacity: 1; }
.edge.active .line { stroke-width: 2.6; stroke-opacity: 1; }
.edge .hit { fill: none; stroke: transparent; stroke-width: 8; }
.edge-label.active { font-weight: 700; }
.edge-label { font-size: ${FONT.edge}px; fill: var(--vscode-descriptionForeground, #717171); font-family: var(--vscode-editor-font-family, ui-monospace, Menlo, Consolas, monospace); paint-order: stroke; stroke: var(--vscode-editor-background, #fff); stroke-width: 3px; stroke-linejoin: round; }
.edge-label.kind-fusion { fill: var(--vscode-charts-purple, #b180d7); font-weight: 600; }
.edge-label.problem { fill: var(--vscode-errorForeground, #e51400); }
.arrow-flow { fill: var(--vscode-foreground, #333); fill-opacity: 0.7; }
.arrow-emit { fill: var(--vscode-descriptionForeground, #717171); }
.arrow-fusion { fill: var(--vscode-charts-purple, #b180d7); }
.arrow-problem { fill: var(--vscode-errorForeground, #e51400); }
.export-title { fill: var(--vscode-foreground, #333); font-size: 14px; font-weight: 600; }
.export-sub { fill: var(--vscode-descriptionForeground, #717171); font-size: 11px; }
`;

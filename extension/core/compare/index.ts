/**
 * Comparing configs (issue 14 B/C): one row per config (row.ts), the Pareto frontier of two columns (pareto.ts),
 * the columns, which differ, and CSV (columns.ts), the compare view's messages (view.ts). Pure: no vscode, no I/O.
 * The editor's compare view and configs view, `mvg compare` and (later) a language-model tool sit on this API.
 */
export * from './row';
export * from './pareto';
export * from './columns';
export * from './view';

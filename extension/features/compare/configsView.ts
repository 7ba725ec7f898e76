/**
 * The configs view (`mixvargenet.configs`, in the Explorer when the workspace has configs): one item per config file
 * with its params and MACs, a tooltip with the latest accuracy and FPS, the findings count (the icon shows the worst
 * severity) and the run status (running / last run failed). The rows come from ConfigRows (analysis in the worker),
 * refreshed when a config or a results store changes. Each element is the config's Uri, so the context actions
 * (open graph, compare, diff with HEAD, run a stage) receive the file's URI as their argument.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { fpsText } from '../../core/hat/format';
import { escapeMarkdown } from '../../core/markdown';
import { compact, fmtMacs, plural } from '../../core/format';
import type { ConfigRows, RowEntry } from './rows';

export const CONFIGS_VIEW_ID = 'mixvargenet.configs';

/** What an item shows (the internal state command returns these for tests). */
export interface ConfigItemState {
  uri: string;
  label: string;
  description: string;
  tooltip: string;
  icon: string;
  contextValue: string;
}

function describe(e: RowEntry, sameName: boolean): string {
  const parts: string[] = [];
  if (e.row.params !== null || e.row.macs !== null) parts.push(`${e.row.params !== null ? compact(e.row.params) : '?'} params · ${fmtMacs(e.row.macs)}`);
  else if (e.error) parts.push('not analysed');
  if (e.status === 'running') parts.push('running…');
  else if (e.status === 'failed') parts.push('last run failed');
  if (sameName) parts.push(path.posix.dirname(e.label));
  return parts.join(' · ');
}

function iconOf(e: RowEntry): { id: string; color?: string } {
  if (e.status === 'running') return { id: 'sync~spin' };
  const f = e.row.findings;
  if (!f) return { id: 'question' };
  if (f.errors) return { id: 'error', color: 'problemsErrorIcon.foreground' };
  if (f.warnings) return { id: 'warning', color: 'problemsWarningIcon.foreground' };
  if (f.hints) return { id: 'lightbulb', color: 'problemsInfoIcon.foreground' };
  return { id: 'pass', color: 'testing.iconPassed' };
}

/** The tooltip: the path, the network's cost, the latest results, the findings and the run status (Markdown, escaped). */
export function tooltipOf(e: RowEntry): string {
  const r = e.row;
  const lines = [`**${escapeMarkdown(e.label)}**`, ''];
  if (e.error) lines.push(`Not analysed: ${escapeMarkdown(e.error)}`, '');
  else lines.push(`${r.params !== null ? compact(r.params) : '?'} params · ${fmtMacs(r.macs)}${r.latencyMs !== null ? ` · CPU ${r.latencyMs.toFixed(2)} ms` : ''}`, '');
  const acc = [
    ['float', r.accuracy.float],
    ['calibration', r.accuracy.calibration],
    ['int', r.accuracy.int_infer],
  ].filter((x): x is [string, number] => x[1] !== null);
  if (acc.length) lines.push(`Accuracy: ${acc.map(([k, v]) => `${k} ${v.toFixed(2)}%`).join(' · ')}`, '');
  if (r.fps !== null) lines.push(`J5: ${fpsText(r.fps)} FPS${r.j5LatencyMs !== null ? ` · ${r.j5LatencyMs.toFixed(2)} ms` : ''} (${r.perfSource === 'board' ? 'board' : 'compile_perf'})`, '');
  if (!acc.length && r.fps === null) lines.push('No HAT results yet.', '');
  const f = r.findings;
  if (f) lines.push(f.errors + f.warnings + f.hints ? [plural(f.errors, 'error'), plural(f.warnings, 'warning'), plural(f.hints, 'hint')].join(', ') : 'No problems found.');
  if (e.status === 'running') lines.push('', 'A HAT stage is running on this config.');
  else if (e.status === 'failed') lines.push('', 'Its last HAT run failed.');
  return lines.join('\n');
}

export class ConfigsView implements vscode.TreeDataProvider<vscode.Uri>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private entries = new Map<string, RowEntry>();
  private sameNames = new Set<string>();
  private readonly view: vscode.TreeView<vscode.Uri>;
  private readonly subs: vscode.Disposable[] = [];

  constructor(private readonly rows: ConfigRows) {
    this.view = vscode.window.createTreeView(CONFIGS_VIEW_ID, { treeDataProvider: this, canSelectMany: true, showCollapseAll: false });
    this.subs.push(
      this.changed,
      this.view,
      rows.onDidChange(() => this.changed.fire(undefined)),
      vscode.commands.registerCommand('mixvargenet.configs.refresh', () => {
        this.rows.invalidate();
        this.changed.fire(undefined);
      }),
      vscode.commands.registerCommand('mixvargenet._configsViewState', () => this.state()),
    );
    // Whether the view shows at all (mixvargenet.hasConfigs) is known once the workspace has been searched.
    void rows.workspaceConfigs();
  }

  async getChildren(element?: vscode.Uri): Promise<vscode.Uri[]> {
    if (element) return [];
    const uris = await this.rows.workspaceConfigs();
    const entries = await this.rows.rows(uris);
    this.entries = new Map(entries.map((e) => [e.uri.toString(), e]));
    const names = new Map<string, number>();
    for (const e of entries) names.set(path.posix.basename(e.uri.path), (names.get(path.posix.basename(e.uri.path)) ?? 0) + 1);
    this.sameNames = new Set([...names].filter(([, n]) => n > 1).map(([k]) => k));
    this.view.message = uris.length ? undefined : 'No MixVarGENet configs in this workspace.';
    return uris;
  }

  getTreeItem(uri: vscode.Uri): vscode.TreeItem {
    const name = path.posix.basename(uri.path);
    const item = new vscode.TreeItem(name, vscode.TreeItemCollapsibleState.None);
    item.id = uri.toString();
    item.resourceUri = uri;
    item.command = { command: 'vscode.open', title: 'Open', arguments: [uri] };
    const e = this.entries.get(uri.toString());
    if (!e) return item;
    item.description = describe(e, this.sameNames.has(name));
    const tip = new vscode.MarkdownString(tooltipOf(e));
    tip.isTrusted = false;
    tip.supportHtml = false;
    item.tooltip = tip;
    const icon = iconOf(e);
    item.iconPath = new vscode.ThemeIcon(icon.id, icon.color ? new vscode.ThemeColor(icon.color) : undefined);
    item.contextValue = e.status === 'running' ? 'mixvargenet.config.running' : 'mixvargenet.config';
    return item;
  }

  /** Internal (tests): the items as shown, computed as the view computes them. */
  async state(): Promise<ConfigItemState[]> {
    const uris = await this.getChildren();
    return uris.map((u) => {
      const it = this.getTreeItem(u);
      const icon = it.iconPath instanceof vscode.ThemeIcon ? it.iconPath.id : '';
      return {
        uri: u.toString(),
        label: String(typeof it.label === 'string' ? it.label : (it.label?.label ?? '')),
        description: String(it.description ?? ''),
        tooltip: it.tooltip instanceof vscode.MarkdownString ? it.tooltip.value : String(it.tooltip ?? ''),
        icon,
        contextValue: it.contextValue ?? '',
      };
    });
  }

  dispose(): void {
    for (const s of this.subs) s.dispose();
  }
}

/**
 * "MixVarGENet: Compare with HEAD / with Revision… / with File…": what the edits did to the network, live.
 * While a comparison is active for a document, each changed or added stage's `MixVarGENetConfig(` line ends
 * with its delta (`+120K params · +35M MACs`), the `net_config` line with the whole network's, a status-bar
 * item sums it up, and the graph preview can mark what changed (onDidChange / comparison()).
 *
 * The old side is read once (git or a file) and analysed once in the analysis worker; each new analysis of
 * the document (the manager's debounced one, in the worker) is compared with it here — a comparison of two
 * snapshots, well under a millisecond for a config of the seed's size.
 */
import * as vscode from 'vscode';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { diffAnalyses, type ConfigDiff } from '../../core/diff/diff';
import { changeText, costDeltaText, diffSummary, formatDiffText } from '../../core/diff/text';
import { fmtDelta, fmtMsDelta, thousands } from '../../core/format';
import type { PerfResult } from '../../ort/result';
import type { PerfFeature } from '../perf/perf';
import type { AnalysisSnapshot } from '../../core/ide/snapshot';
import { escapeMarkdown, markdownCode, notificationText } from '../../core/markdown';
import { codeEnd } from '../../core/text';
import { readRegularFile } from '../../core/guardedRead';
import { GitShowError } from '../../git/show';
import { documentFromArg, openDocumentFromArg, uriFromArg } from '../../host/commandArgs';
import { PYTHON_SELECTOR } from '../../host/selector';
import { onDidChangeStageNumbersPlacement, stageNumbersPlacement } from '../../host/stageNumbers';
import type { AnalysisManager } from '../analysis/manager';
import { readAtRevision, revisionChoices } from './revision';

/** What the document is compared with. */
export interface ComparisonBase {
  /** "HEAD", "a1b2c3d", "other.py". */
  label: string;
  rev: string | null;
  /** The old side's file, as shown (workspace-relative). */
  file: string;
  text: string;
}

export interface Comparison {
  base: ComparisonBase;
  baseSnapshot: AnalysisSnapshot;
  diff: ConfigDiff | undefined;
  /** The document version the diff was made against. */
  version: number;
  /** The old side's CPU latency from the perf result cache: undefined while looking, null when it was never measured. */
  basePerf?: PerfResult | null;
}

/** `mixvargenet._diffState` (tests): what the editor shows for a document. */
export interface DiffState {
  active: boolean;
  base?: string;
  summary?: string;
  status?: { text: string; tooltip: string; visible: boolean };
  decorations: { line: number; text: string; hover: string }[];
  /** The stage deltas as CodeLens lines above the stages, where the stage numbers are (`mixvargenet.inlayHints.position`). */
  lenses: { line: number; text: string }[];
  diff?: ConfigDiff;
}

/** One thing the editor shows for a comparison: a stage's delta, or the network's on the net_config line. */
interface Mark {
  kind: 'stage' | 'total';
  line: number;
  text: string;
  hover: string;
}

export class DiffFeature implements vscode.Disposable {
  private readonly comparisons = new Map<string, Comparison>();
  /** Per document: what the last comparison shows (kept while a newer version is being analysed). */
  private readonly marks = new Map<string, Mark[]>();
  private readonly decorationsShown = new Map<string, DiffState['decorations']>();
  private readonly lensesShown = new Map<string, DiffState['lenses']>();
  private readonly lensesChanged = new vscode.EventEmitter<void>();
  private readonly subs: vscode.Disposable[] = [];
  private readonly changed = new vscode.EventEmitter<string>();
  /** A document's comparison started, changed or ended (its URI). */
  readonly onDidChange = this.changed.event;
  private readonly item = vscode.window.createStatusBarItem('mixvargenet.diff', vscode.StatusBarAlignment.Right, 99);
  private statusShown: DiffState['status'] = { text: '', tooltip: '', visible: false };
  private readonly decoration = vscode.window.createTextEditorDecorationType({
    after: { color: new vscode.ThemeColor('editorCodeLens.foreground'), margin: '0 0 0 1.5em', fontStyle: 'italic' },
    rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed,
  });

  constructor(
    private readonly manager: AnalysisManager,
    /** Latency deltas where both sides were measured (the old side only from the result cache). */
    private readonly perf?: PerfFeature,
  ) {
    this.item.name = 'MixVarGENet comparison';
    this.item.command = { title: 'MixVarGENet: Show Comparison', command: 'mixvargenet.showComparison' };
    this.subs.push(
      this.changed,
      this.item,
      this.decoration,
      vscode.commands.registerCommand('mixvargenet.compareWithHead', (arg?: unknown) => this.compareWithRevision(arg, 'HEAD')),
      vscode.commands.registerCommand('mixvargenet.compareWithRevision', (arg?: unknown, rev?: unknown) => this.compareWithRevision(arg, typeof rev === 'string' ? rev : undefined)),
      vscode.commands.registerCommand('mixvargenet.compareWithFile', (arg?: unknown, other?: unknown) => this.compareWithFile(arg, other)),
      vscode.commands.registerCommand('mixvargenet.clearComparison', (arg?: unknown) => this.clear(arg)),
      vscode.commands.registerCommand('mixvargenet.showComparison', (arg?: unknown) => this.showReport(arg)),
      vscode.commands.registerCommand('mixvargenet._diffState', (uri?: string) => this.state(uri)),
      manager.onDidAnalyze((e) => {
        if (e.snapshot && this.comparisons.has(e.document.uri.toString())) this.recompute(e.document);
      }),
      vscode.window.onDidChangeVisibleTextEditors(() => this.render()),
      vscode.window.onDidChangeActiveTextEditor(() => this.render()),
      vscode.workspace.onDidCloseTextDocument((d) => this.end(d.uri.toString())),
      this.lensesChanged,
      // Where the stage numbers are a line above each stage (the graph preview beside a half-width editor, or the
      // setting), the stage deltas join them there (`Δ +58.2K params · +2.76M MACs`): the end of a long
      // MixVarGENetConfig( line would be off screen. The base stays named on the net_config line and in the status bar.
      vscode.languages.registerCodeLensProvider(PYTHON_SELECTOR, {
        onDidChangeCodeLenses: this.lensesChanged.event,
        provideCodeLenses: (doc) =>
          (this.lensesShown.get(doc.uri.toString()) ?? []).map(
            (l) => new vscode.CodeLens(new vscode.Range(l.line, 0, l.line, 0), { title: l.text, command: 'mixvargenet.showComparison', arguments: [doc.uri], tooltip: 'MixVarGENet: Show Comparison' }),
          ),
      }),
      onDidChangeStageNumbersPlacement(() => this.render()),
      // The analysis settings (target, hints, disabled rules, severities) and the extra ops apply to both sides alike.
      manager.onDidReanalyzeAll(() => void this.reanalyzeBases()),
    );
    if (perf)
      this.subs.push(
        perf.onDidChange((uri) => {
          const c = this.comparisons.get(uri);
          if (!c) return;
          // A measurement of the document may also be one of the old side's network (the same network, unedited).
          if (c.basePerf === null) void this.lookUpBasePerf(uri, c);
          this.render();
          this.changed.fire(uri);
        }),
      );
  }

  /** The active comparison of a document (the graph preview's diff mode reads it). */
  comparison(uri: string): Comparison | undefined {
    return this.comparisons.get(uri);
  }

  // ---------------------------------------------------------------------------------------------
  // Commands.
  // ---------------------------------------------------------------------------------------------

  private async targetDocument(arg: unknown): Promise<vscode.TextDocument | undefined> {
    const doc = await documentFromArg(arg);
    if (!doc) {
      void vscode.window.showInformationMessage('MixVarGENet: open a config file to compare.');
      return undefined;
    }
    if (!this.manager.isConfig(doc)) {
      void vscode.window.showInformationMessage(notificationText(`MixVarGENet: ${path.basename(doc.uri.fsPath)} has no MixVarGENetConfig to compare.`));
      return undefined;
    }
    return doc;
  }

  private async compareWithRevision(arg: unknown, given?: string): Promise<DiffState | { error: string }> {
    const doc = await this.targetDocument(arg);
    if (!doc) return { error: 'no config document' };
    let rev = given;
    if (rev === undefined) {
      rev = await this.pickRevision(doc.uri);
      if (rev === undefined) return { error: 'cancelled' };
    }
    let text: string;
    try {
      text = (await readAtRevision(doc.uri, rev)).text;
    } catch (e) {
      const message = e instanceof GitShowError ? e.message : e instanceof Error ? e.message : String(e);
      void vscode.window.showWarningMessage(notificationText(message.startsWith('MixVarGENet:') ? message : `MixVarGENet: cannot compare with ${rev}: ${message}`));
      return { error: message };
    }
    const file = vscode.workspace.asRelativePath(doc.uri);
    // A commit picked from the list is a full hash: shown as git shows it, abbreviated.
    const label = /^[0-9a-f]{40}$/i.test(rev) ? rev.slice(0, 8) : rev;
    return this.start(doc, { label, rev, file, text });
  }

  private async pickRevision(uri: vscode.Uri): Promise<string | undefined> {
    const qp = vscode.window.createQuickPick<vscode.QuickPickItem & { rev?: string }>();
    qp.title = `MixVarGENet: Compare ${path.basename(uri.fsPath)} with Revision`;
    qp.placeholder = 'A commit, branch or tag (or type any git revision, e.g. HEAD~2)';
    qp.busy = true;
    qp.show();
    void revisionChoices(uri).then((choices) => {
      qp.items = choices.map((c) => ({ label: c.label, description: c.description, rev: c.rev }));
      qp.busy = false;
    });
    return new Promise((resolve) => {
      qp.onDidAccept(() => {
        const picked = qp.selectedItems[0]?.rev ?? (qp.value.trim() || undefined);
        resolve(picked);
        qp.hide();
      });
      qp.onDidHide(() => {
        resolve(undefined);
        qp.dispose();
      });
    });
  }

  private async compareWithFile(arg: unknown, other: unknown): Promise<DiffState | { error: string }> {
    const doc = await this.targetDocument(arg);
    if (!doc) return { error: 'no config document' };
    let otherUri = uriFromArg(other);
    if (!otherUri) {
      const configs = (await vscode.workspace.findFiles('**/*.py', '**/{node_modules,.git,__pycache__}/**', 500)).filter((u) => u.toString() !== doc.uri.toString());
      const items: (vscode.QuickPickItem & { uri?: vscode.Uri })[] = configs
        .map((u) => ({ label: path.basename(u.fsPath), description: vscode.workspace.asRelativePath(u), uri: u }))
        .sort((a, b) => a.description.localeCompare(b.description));
      items.push({ label: '$(folder-opened) Browse…' });
      const picked = await vscode.window.showQuickPick(items, { title: `MixVarGENet: Compare ${path.basename(doc.uri.fsPath)} with File`, placeHolder: 'The config to compare with (the old side)', matchOnDescription: true });
      if (!picked) return { error: 'cancelled' };
      otherUri = picked.uri;
      if (!otherUri) {
        const chosen = await vscode.window.showOpenDialog({ canSelectMany: false, filters: { Python: ['py'] }, defaultUri: vscode.Uri.joinPath(doc.uri, '..') });
        otherUri = chosen?.[0];
        if (!otherUri) return { error: 'cancelled' };
      }
    }
    // Restricted Mode reads only the workspace's own files.
    if (!vscode.workspace.isTrusted && !vscode.workspace.getWorkspaceFolder(otherUri)) {
      const error = 'MixVarGENet: in Restricted Mode only files of the workspace can be compared.';
      void vscode.window.showWarningMessage(notificationText(error));
      return { error };
    }
    const read = await readOtherSide(otherUri);
    if ('error' in read) {
      const error = `MixVarGENet: cannot read ${vscode.workspace.asRelativePath(otherUri)}: ${read.error}`;
      void vscode.window.showWarningMessage(notificationText(error));
      return { error };
    }
    const text = read.text;
    const file = vscode.workspace.asRelativePath(otherUri);
    return this.start(doc, { label: path.basename(otherUri.fsPath), rev: null, file, text });
  }

  private clear(arg: unknown): DiffState {
    const doc = openDocumentFromArg(arg);
    const key = doc?.uri.toString() ?? uriFromArg(arg)?.toString();
    if (key) this.end(key);
    return this.state(key);
  }

  private async showReport(arg: unknown): Promise<void> {
    const doc = openDocumentFromArg(arg) ?? this.shownDocument();
    const c = doc && this.comparisons.get(doc.uri.toString());
    if (!c?.diff) {
      void vscode.window.showInformationMessage('MixVarGENet: no comparison is active for this file. Run "MixVarGENet: Compare with HEAD" first.');
      return;
    }
    const report = await vscode.workspace.openTextDocument({ content: formatDiffText(c.diff), language: 'plaintext' });
    await vscode.window.showTextDocument(report, { viewColumn: vscode.ViewColumn.Beside, preview: true });
  }

  // ---------------------------------------------------------------------------------------------
  // The comparison.
  // ---------------------------------------------------------------------------------------------

  private async start(doc: vscode.TextDocument, base: ComparisonBase): Promise<DiffState | { error: string }> {
    const key = doc.uri.toString();
    let baseSnapshot: AnalysisSnapshot;
    try {
      baseSnapshot = await this.manager.analyzeText(`mixvargenet-base:${key}#${base.label}`, base.text, doc.uri);
    } catch (e) {
      const error = `MixVarGENet: cannot analyse ${base.label}: ${e instanceof Error ? e.message : String(e)}`;
      void vscode.window.showWarningMessage(notificationText(error));
      return { error };
    }
    const comparison: Comparison = { base, baseSnapshot, diff: undefined, version: -1 };
    this.comparisons.set(key, comparison);
    void this.lookUpBasePerf(key, comparison);
    const snap = this.manager.current(doc) ?? (await this.manager.analyzeNow(doc));
    if (!snap) {
      this.comparisons.delete(key);
      return { error: 'the document could not be analysed' };
    }
    this.recompute(doc, snap);
    const c = this.comparisons.get(key);
    if (c?.diff) {
      const name = path.basename(doc.uri.fsPath);
      void vscode.window.showInformationMessage(notificationText(`MixVarGENet: ${name} vs ${base.label}: ${diffSummary(c.diff)}.`), 'Show Comparison', 'Clear').then((choice) => {
        if (choice === 'Show Comparison') void this.showReport(doc.uri);
        else if (choice === 'Clear') this.end(key);
      });
    }
    return this.state(key);
  }

  /** Analyse every old side again (the settings or the op table changed), then compare again. */
  private async reanalyzeBases(): Promise<void> {
    for (const [key, c] of [...this.comparisons]) {
      const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === key);
      if (!doc) continue;
      try {
        const snap = await this.manager.analyzeText(`mixvargenet-base:${key}#${c.base.label}`, c.base.text, doc.uri);
        if (this.comparisons.get(key) !== c) continue;
        c.baseSnapshot = snap;
        this.recompute(doc);
      } catch {
        // The worker is restarting: the next edit compares with the old analysis.
      }
    }
  }

  /** The old side's measured latency, if the result cache has it (never measures). */
  private async lookUpBasePerf(key: string, c: Comparison): Promise<void> {
    if (!this.perf || !vscode.workspace.isTrusted) return;
    const scope = vscode.Uri.parse(key);
    const plan = await this.manager.onnxPlanOfText(`mixvargenet-base-plan:${key}#${c.base.label}`, c.base.text, scope);
    const r = plan.ok ? await this.perf.cachedResult(plan.plan, scope).catch(() => undefined) : undefined;
    if (this.comparisons.get(key) !== c) return;
    c.basePerf = r ?? null;
    if (r) {
      this.render();
      this.changed.fire(key);
    }
  }

  /** The CPU latency of both sides when both were measured (the document's for the version the diff describes). */
  private latencies(doc: vscode.TextDocument, c: Comparison): { old: PerfResult; new: PerfResult } | undefined {
    const now = this.perf?.measured(doc.uri.toString());
    return c.basePerf && now && now.version === c.version ? { old: c.basePerf, new: now.result } : undefined;
  }

  private recompute(doc: vscode.TextDocument, snap = this.manager.current(doc)): void {
    const key = doc.uri.toString();
    const c = this.comparisons.get(key);
    if (!c || !snap) return;
    c.diff = diffAnalyses(c.baseSnapshot, snap, { old: { file: c.base.file, rev: c.base.rev }, new: { file: vscode.workspace.asRelativePath(doc.uri), rev: null } });
    c.version = snap.version;
    this.render();
    this.changed.fire(key);
  }

  private end(key: string): void {
    if (!this.comparisons.delete(key)) return;
    this.marks.delete(key);
    this.decorationsShown.delete(key);
    this.render();
    this.changed.fire(key);
  }

  // ---------------------------------------------------------------------------------------------
  // What the editor shows.
  // ---------------------------------------------------------------------------------------------

  /** What a document under comparison shows: each changed or added stage's delta, and the network's on net_config. */
  private marksFor(doc: vscode.TextDocument, c: Comparison): Mark[] {
    const snap = this.manager.snapshot(doc);
    const d = c.diff;
    if (!snap || !d || snap.version !== c.version) return (this.marks.get(doc.uri.toString()) ?? []).filter((m) => m.line < doc.lineCount);
    const out: Mark[] = [];
    const lat = this.latencies(doc, c);
    for (const s of d.stages) {
      if (s.new === null || s.status === 'same') continue;
      const st = snap.stages[s.new];
      const line = (st?.calleeRange ?? st?.callRange ?? st?.range)?.from.line;
      if (line === undefined || line >= doc.lineCount) continue;
      const ms = lat && stageMsDelta(lat, s.old, s.new);
      const text = `${s.status === 'added' ? 'new stage: ' : ''}${costDeltaText(s.params, s.macs)}${ms !== undefined ? ` · ${fmtMsDelta(ms)} CPU` : ''}`;
      const hover = [
        `**MixVarGENet** stage ${s.new} vs ${escapeMarkdown(c.base.label)}: ${s.status}`,
        ...s.changes.map((ch) => `- ${markdownCode(changeText(ch))}`),
        s.status === 'changed' ? `- params ${thousands(s.params.old)} → ${thousands(s.params.new)}, MACs ${thousands(s.macs.old)} → ${thousands(s.macs.new)}` : '',
      ]
        .filter(Boolean)
        .join('\n');
      out.push({ kind: 'stage', line, text, hover });
    }
    const ncLine = snap.netConfigRange?.from.line;
    if (ncLine !== undefined && ncLine < doc.lineCount) {
      const removed = d.stages.filter((s) => s.status === 'removed').length;
      const ms = lat ? ` · ${fmtMsDelta(lat.new.latencyMs.median - lat.old.latencyMs.median)} CPU` : '';
      const text = `vs ${c.base.label}: ${fmtDelta(d.params.delta)} params · ${fmtDelta(d.macs.delta)} MACs${ms}${removed ? ` · ${removed} stage${removed > 1 ? 's' : ''} removed` : ''}`;
      out.push({ kind: 'total', line: ncLine, text, hover: `**MixVarGENet** vs ${escapeMarkdown(c.base.label)} (${escapeMarkdown(c.base.file)}): ${diffSummary(d)}` });
    }
    this.marks.set(doc.uri.toString(), out);
    return out;
  }

  /** The document the status item speaks of: the active editor's, else the first visible one under comparison. */
  private shownDocument(): vscode.TextDocument | undefined {
    const active = vscode.window.activeTextEditor?.document;
    if (active && this.comparisons.has(active.uri.toString())) return active;
    return vscode.window.visibleTextEditors.map((e) => e.document).find((d) => this.comparisons.has(d.uri.toString()));
  }

  private render(): void {
    const lensesBefore = JSON.stringify([...this.lensesShown]);
    this.lensesShown.clear();
    for (const ed of vscode.window.visibleTextEditors) {
      const key = ed.document.uri.toString();
      const c = this.comparisons.get(key);
      if (!c) {
        ed.setDecorations(this.decoration, []);
        continue;
      }
      const marks = this.marksFor(ed.document, c);
      const above = stageNumbersPlacement(ed.document) === 'above';
      const decos = marks.filter((m) => !above || m.kind === 'total');
      if (above) this.lensesShown.set(key, marks.filter((m) => m.kind === 'stage').map((m) => ({ line: m.line, text: `Δ ${m.text}` })));
      this.decorationsShown.set(
        key,
        decos.map((x) => ({ line: x.line, text: x.text, hover: x.hover })),
      );
      ed.setDecorations(
        this.decoration,
        decos.map((x) => ({ range: endOf(ed.document, x.line), renderOptions: { after: { contentText: x.text } }, hoverMessage: new vscode.MarkdownString(x.hover) })),
      );
    }
    if (JSON.stringify([...this.lensesShown]) !== lensesBefore) this.lensesChanged.fire();
    const active = vscode.window.activeTextEditor?.document;
    void vscode.commands.executeCommand('setContext', 'mixvargenet.comparing', !!(active && this.comparisons.has(active.uri.toString())));
    const doc = this.shownDocument();
    const c = doc && this.comparisons.get(doc.uri.toString());
    if (!doc || !c?.diff) {
      this.item.hide();
      this.statusShown = { text: '', tooltip: '', visible: false };
      return;
    }
    const d = c.diff;
    const lat = this.latencies(doc, c);
    const ms = lat ? ` · ${fmtMsDelta(lat.new.latencyMs.median - lat.old.latencyMs.median)} CPU` : '';
    const text = `$(diff) vs ${c.base.label}: ${fmtDelta(d.params.delta)} params · ${fmtDelta(d.macs.delta)} MACs${ms}`;
    const tooltip = `MixVarGENet: ${path.basename(doc.uri.fsPath)} vs ${c.base.label} (${c.base.file}): ${diffSummary(d)}. Click for the per-stage report.`;
    this.item.text = text;
    this.item.tooltip = tooltip;
    this.item.accessibilityInformation = { label: tooltip };
    this.item.show();
    this.statusShown = { text, tooltip, visible: true };
  }

  private state(uri?: string): DiffState {
    const key = uri ?? vscode.window.activeTextEditor?.document.uri.toString();
    const c = key ? this.comparisons.get(key) : undefined;
    if (!key || !c) return { active: false, decorations: [], lenses: [], status: { ...this.statusShown! } };
    return {
      active: true,
      base: c.base.label,
      summary: c.diff ? diffSummary(c.diff) : undefined,
      status: { ...this.statusShown! },
      decorations: [...(this.decorationsShown.get(key) ?? [])],
      lenses: [...(this.lensesShown.get(key) ?? [])],
      diff: c.diff,
    };
  }

  dispose(): void {
    for (const s of this.subs) s.dispose();
    this.comparisons.clear();
  }
}

/** A stage's change in measured CPU time (ms): an added stage's whole time; undefined when a side has no figure for it. */
function stageMsDelta(lat: { old: PerfResult; new: PerfResult }, oldIndex: number | null, newIndex: number | null): number | undefined {
  const t = (r: PerfResult, i: number | null) => (i === null ? 0 : r.stages.find((x) => x.index === i)?.latencyMs);
  const a = t(lat.old, oldIndex);
  const b = t(lat.new, newIndex);
  return a === undefined || b === undefined ? undefined : b - a;
}

/**
 * The text of the file to compare with: an open document's, else the file read the guarded way (core/guardedRead) —
 * a regular file of at most 16 MiB, so a config that is a symlink to /dev/zero or a FIFO cannot hang or flood the
 * extension host. A symlink to a config is followed (the user picked it), but in Restricted Mode only to a file of
 * the workspace. Other schemes (remote workspaces) through the file system API.
 */
async function readOtherSide(uri: vscode.Uri): Promise<{ text: string } | { error: string }> {
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (open) return { text: open.getText() };
  try {
    if (uri.scheme !== 'file') return { text: new TextDecoder().decode(await vscode.workspace.fs.readFile(uri)) };
    const real = await fs.promises.realpath(uri.fsPath);
    if (!vscode.workspace.isTrusted && !vscode.workspace.getWorkspaceFolder(vscode.Uri.file(real))) return { error: 'it links to a file outside the workspace (Restricted Mode reads only the workspace\'s own files)' };
    const r = await readRegularFile(real);
    return r.ok ? { text: r.text } : { error: r.missing ? 'no such file' : `it ${r.reason}` };
  } catch (e) {
    return { error: (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : e instanceof Error ? e.message : String(e) };
  }
}

/** The end of a line's code (before a trailing comment), where a decoration stays on screen. */
function endOf(doc: vscode.TextDocument, line: number): vscode.Range {
  const col = codeEnd(doc.lineAt(line).text);
  return new vscode.Range(line, col, line, col);
}

export function registerDiff(manager: AnalysisManager, perf?: PerfFeature): DiffFeature {
  return new DiffFeature(manager, perf);
}

/**
 * Every `mixvargenet.*` setting the extension reads, with its default, bounds and validation. This is the one
 * module that calls `vscode.workspace.getConfiguration` for our section: the features import their settings
 * from here (and only react to `onDidChangeConfiguration` themselves).
 */
import * as vscode from 'vscode';
import type { DocOptions } from '../analysis/protocol';
import { type Launcher, sanitizeLauncher, sanitizeSlurmOptions, sanitizeStageOptions, type SlurmOptions, type StageId, type StageOptions } from '../core/hat';
import { ADJUSTABLE_CATEGORIES, sanitizeSeverityOverrides } from '../core/severity';
import { DEFAULT_PERCENTILE, isCalibrationPercentile } from '../core/onnx/quantize';

export const SECTION = 'mixvargenet';
export const HAT_SECTION = `${SECTION}.hat`;

// ---------------------------------------------------------------------------------------------
// Analysis and the editor features.
// ---------------------------------------------------------------------------------------------

export interface FeatureToggles {
  diagnostics: boolean;
  codeActions: boolean;
  completion: boolean;
  hover: boolean;
  signatureHelp: boolean;
  statusBar: boolean;
  inlayHints: boolean;
}

export function docOptions(scope?: vscode.Uri): DocOptions {
  const c = vscode.workspace.getConfiguration(SECTION, scope);
  const target = c.get<string>('target', 'J5') === 'any' ? 'any' : 'J5';
  const disabled = c.get<unknown>('disabledRules', []);
  return {
    target,
    hints: c.get<boolean>('hints', true),
    disabled: Array.isArray(disabled) ? disabled.filter((d): d is string => typeof d === 'string').map((d) => d.trim()).filter(Boolean) : [],
    // `mixvargenet.severity.silent` / `.guidance`: a value outside the category's choices counts as its default.
    severity: sanitizeSeverityOverrides(Object.fromEntries(ADJUSTABLE_CATEGORIES.map((k) => [k, c.get<unknown>(`severity.${k}`)]))),
  };
}

export function features(scope?: vscode.Uri): FeatureToggles {
  const c = vscode.workspace.getConfiguration(SECTION, scope);
  return {
    diagnostics: c.get<boolean>('diagnostics.enabled', true),
    codeActions: c.get<boolean>('codeActions.enabled', true),
    completion: c.get<boolean>('completion.enabled', true),
    hover: c.get<boolean>('hover.enabled', true),
    signatureHelp: c.get<boolean>('signatureHelp.enabled', true),
    statusBar: c.get<boolean>('statusBar.enabled', true),
    inlayHints: c.get<boolean>('inlayHints.enabled', true),
  };
}

/** `mixvargenet.analysis.debounceMs` (0..5000, else the default 250). */
export function debounceMs(): number {
  const v = vscode.workspace.getConfiguration(SECTION).get<number>('analysis.debounceMs', 250);
  return typeof v === 'number' && v >= 0 && v <= 5000 ? v : 250;
}

/** Settings whose change needs a re-analysis of every document. */
export const ANALYSIS_KEYS = ['target', 'hints', 'disabledRules', 'severity'].map((k) => `${SECTION}.${k}`);

/** The setting that names the extra ops file (its change reloads the file). */
export const EXTRA_OPS_KEY = `${SECTION}.extraOpsFile`;

/** Resolve `mixvargenet.extraOpsFile` (absolute, `~/`, `${workspaceFolder}/`, or relative to the first workspace folder). */
export function extraOpsUri(): vscode.Uri | undefined {
  return settingPathUri(vscode.workspace.getConfiguration(SECTION).get<string>('extraOpsFile', ''));
}

/** A path a setting names: absolute, `~/`, `${workspaceFolder}/` (or `${workspaceFolder:name}/`), or relative to `base` (default: the first workspace folder). */
function settingPathUri(value: string | undefined, base?: vscode.WorkspaceFolder): vscode.Uri | undefined {
  const raw = value?.trim();
  if (!raw) return undefined;
  const folders = vscode.workspace.workspaceFolders ?? [];
  let p = raw;
  const m = /^\$\{workspaceFolder(?::([^}]+))?\}[\\/]?(.*)$/.exec(p);
  if (m) {
    const folder = m[1] ? folders.find((f) => f.name === m[1]) : (base ?? folders[0]);
    if (!folder) return undefined;
    return vscode.Uri.joinPath(folder.uri, m[2]);
  }
  if (p.startsWith('~/') && process.env.HOME) p = process.env.HOME + p.slice(1);
  if (p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p)) return vscode.Uri.file(p);
  const folder = base ?? folders[0];
  return folder ? vscode.Uri.joinPath(folder.uri, p) : undefined;
}

// ---------------------------------------------------------------------------------------------
// Measured latency (`mixvargenet.perf.*`).
// ---------------------------------------------------------------------------------------------

/** The most ORT threads a setting may ask for (package.json says the same). */
export const MAX_THREADS = 64;

/** The settings a measurement's result depends on (its cache key): when one changes, the figures shown are looked up again. */
export const PERF_RESULT_KEYS = ['perf.precision', 'perf.calibrationData', 'perf.calibrationMethod', 'perf.calibrationPercentile', 'perf.threads', 'perf.batch'].map((k) => `${SECTION}.${k}`);

/** `mixvargenet.perf.threads`: ORT intra-op threads (undefined: all cores), at most MAX_THREADS. */
export function threadsSetting(scope?: vscode.Uri): number | undefined {
  const t = vscode.workspace.getConfiguration(SECTION, scope).get<number>('perf.threads', 0);
  return typeof t === 'number' && Number.isInteger(t) && t > 0 ? Math.min(t, MAX_THREADS) : undefined;
}

/** `mixvargenet.perf.batch`: the batch measured besides batch 1 (undefined: batch 1 only). */
export function batchSetting(scope?: vscode.Uri): number | undefined {
  const b = vscode.workspace.getConfiguration(SECTION, scope).get<number>('perf.batch', 1);
  return typeof b === 'number' && Number.isInteger(b) && b > 1 && b <= 1024 ? b : undefined;
}

/** `mixvargenet.perf.precision`: what "Measure Latency" times — fp32 (default), int8 (calibrated QDQ) or both. */
export function precisionSetting(scope?: vscode.Uri): 'fp32' | 'int8' | 'both' {
  const p = vscode.workspace.getConfiguration(SECTION, scope).get<string>('perf.precision', 'fp32');
  return p === 'int8' || p === 'both' ? p : 'fp32';
}

/**
 * `mixvargenet.perf.calibrationMethod` and `mixvargenet.perf.calibrationPercentile`: how int8 calibration sets each
 * tensor's range — its largest |x| (minmax), or a percentile of |x| (above 50, at most 100; anything else: the default).
 */
export function calibrationMethodSetting(scope?: vscode.Uri): { method: 'minmax' | 'percentile'; percentile?: number } {
  const c = vscode.workspace.getConfiguration(SECTION, scope);
  if (c.get<string>('perf.calibrationMethod', 'minmax') !== 'percentile') return { method: 'minmax' };
  const p = c.get<number>('perf.calibrationPercentile', DEFAULT_PERCENTILE);
  return { method: 'percentile', percentile: isCalibrationPercentile(p) ? p : DEFAULT_PERCENTILE };
}

/**
 * `mixvargenet.perf.calibrationData`: the folder of the user's own calibration inputs for int8, relative to the
 * config's workspace folder (undefined: seeded random inputs). Only a trusted workspace's value counts (measuring
 * needs trust anyway).
 */
export function calibrationDataUri(scope: vscode.Uri): vscode.Uri | undefined {
  if (!vscode.workspace.isTrusted) return undefined;
  return settingPathUri(vscode.workspace.getConfiguration(SECTION, scope).get<string>('perf.calibrationData', ''), vscode.workspace.getWorkspaceFolder(scope));
}

/** `mixvargenet.perf.measureOnSave`. */
export function measureOnSave(scope?: vscode.Uri): boolean {
  return vscode.workspace.getConfiguration(SECTION, scope).get<boolean>('perf.measureOnSave', false);
}

// ---------------------------------------------------------------------------------------------
// HAT tasks (`mixvargenet.hat.*`).
// ---------------------------------------------------------------------------------------------

export interface HatSettings {
  scriptsDir: string;
  python: string;
  commandPrefix: string[];
  stage: StageOptions;
  inlineResults: boolean;
  /** `mixvargenet.hat.launcher`, overridden by `stages.<id>.launcher`. */
  launcher: Launcher;
  /** `mixvargenet.hat.slurm.*`, overridden field by field by `stages.<id>.slurm`. */
  slurm: SlurmOptions;
}

export function hatSettings(scope: vscode.Uri | undefined, stage: StageId): HatSettings {
  const c = vscode.workspace.getConfiguration(HAT_SECTION, scope);
  const prefix = c.get<unknown>('commandPrefix', []);
  const stages = c.get<unknown>('stages', {});
  const s = stages && typeof stages === 'object' && !Array.isArray(stages) ? (stages as Record<string, unknown>)[stage] : undefined;
  return {
    scriptsDir: String(c.get<string>('scriptsDir', '') ?? ''),
    python: String(c.get<string>('python', '') ?? ''),
    commandPrefix: Array.isArray(prefix) ? prefix.filter((p): p is string => typeof p === 'string' && p !== '') : [],
    stage: sanitizeStageOptions(s),
    inlineResults: c.get<boolean>('inlineResults', true) !== false,
    ...launcherSettings(c, s),
  };
}

/** Where a stage runs: the launcher and the Slurm options (global ones, then the stage's own). */
function launcherSettings(c: vscode.WorkspaceConfiguration, stage: unknown): { launcher: Launcher; slurm: SlurmOptions } {
  const st = stage && typeof stage === 'object' && !Array.isArray(stage) ? (stage as Record<string, unknown>) : {};
  const global = sanitizeSlurmOptions({
    nodes: c.get<unknown>('slurm.nodes'),
    gpusPerNode: c.get<unknown>('slurm.gpusPerNode'),
    partition: c.get<unknown>('slurm.partition'),
    account: c.get<unknown>('slurm.account'),
    qos: c.get<unknown>('slurm.qos'),
    time: c.get<unknown>('slurm.time'),
    constraint: c.get<unknown>('slurm.constraint'),
    sbatchArgs: c.get<unknown>('slurm.sbatchArgs'),
    env: c.get<unknown>('slurm.env'),
  });
  return {
    launcher: sanitizeLauncher(st.launcher) ?? sanitizeLauncher(c.get<unknown>('launcher')) ?? 'local',
    slurm: sanitizeSlurmOptions(st.slurm, global),
  };
}

/** Set `mixvargenet.hat.scriptsDir` for one workspace folder (its .vscode/settings.json): "Choose HAT Scripts Folder…". */
export async function setScriptsDirForFolder(folder: vscode.Uri, value: string): Promise<void> {
  await vscode.workspace.getConfiguration(SECTION, folder).update('hat.scriptsDir', value, vscode.ConfigurationTarget.WorkspaceFolder);
}

/** `mixvargenet.inlayHints.position`: where each stage's numbers go (host/stageNumbers.ts). */
export function stageNumbersSetting(scope?: vscode.Uri): 'auto' | 'endOfLine' | 'above' {
  const v = vscode.workspace.getConfiguration(SECTION, scope).get<string>('inlayHints.position', 'auto');
  return v === 'endOfLine' || v === 'above' ? v : 'auto';
}

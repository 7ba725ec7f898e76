/** What `activate()` returns: used by the extension-host tests and `npm run bench`. Type-only for consumers. */
import type { AnalysisSnapshot } from './core/ide/snapshot';

export interface StatusInfo {
  text: string;
  tooltip: string;
  visible: boolean;
  uri?: string;
}

/** Structural stand-in for vscode.TextDocument, so this file does not import vscode. */
export interface DocLike {
  uri: { toString(): string };
  version: number;
}

export interface MixVarGENetApi {
  /** Resolves when the settings are read and the extra ops file is loaded. */
  ready: Promise<void>;
  /** The last snapshot of a document (any version). */
  snapshot(uri: { toString(): string } | string): AnalysisSnapshot | undefined;
  /** Resolves with the first snapshot of at least `minVersion` (default: the document's version). */
  whenAnalyzed(doc: DocLike, minVersion?: number, timeoutMs?: number): Promise<AnalysisSnapshot | undefined>;
  /** Analyse now, skipping the debounce. */
  analyzeNow(doc: DocLike): Promise<AnalysisSnapshot | undefined>;
  statusBar(): StatusInfo;
  /** Where the analysis runs; 'not started' until the first config is opened. */
  engineKind(): 'worker' | 'in-process' | 'not started';
  /** Op names in the effective table (built-in + extra ops file). */
  opNames(): string[];
  reloadExtraOps(): Promise<{ ops: string[]; problems: string[] }>;
}

/** Messages between the extension host and the analysis worker (structured-clone safe). */
import type { AnalysisSnapshot } from '../core/ide/snapshot';
import type { IdeCompletion } from '../core/ide/completion';
import type { IdeHover } from '../core/ide/hover';
import type { IdeSignature } from '../core/ide/signature';
import type { NetworkPlan } from '../core/onnx/build';
import type { SeverityOverrides } from '../core/severity';
import type { RowInputs } from '../core/compare/row';

export interface DocOptions {
  target: 'J5' | 'any';
  hints: boolean;
  disabled: string[];
  /** `mixvargenet.severity.*`: what the silent and guidance findings are reported as (core/severity.ts). */
  severity?: SeverityOverrides;
}

export type QueryKind = 'completion' | 'hover' | 'signature';

export interface RuleInfo {
  code: string;
  name: string;
  severity: string;
  category: string;
  title: string;
  doc: string;
}

export type Request =
  | { type: 'configure'; ops: { json: unknown; source: string } | null }
  | { type: 'analyze'; uri: string; version: number; text: string; options: DocOptions }
  | { type: 'query'; uri: string; version: number; text: string; options: DocOptions; kind: QueryKind; offset: number }
  | { type: 'onnxPlan'; uri: string; version: number; text: string; options: DocOptions }
  | { type: 'forget'; uri: string }
  /** The compare row inputs of a config file: its `text` (an open editor's) or, without it, the file at `path` read by the worker. */
  | { type: 'compareInputs'; path: string; text?: string; options: DocOptions; withPlan?: boolean }
  | { type: 'rules' }
  | { type: 'ping' };

export interface QueryResults {
  completion: IdeCompletion | null;
  hover: IdeHover | null;
  signature: IdeSignature | null;
}

/** The ONNX plan of a document's version (what "Measure Latency" and "Export ONNX" time or write), or why there is none. */
export type PlanResult = { ok: true; plan: NetworkPlan } | { ok: false; error: string };

/** A config's compare row inputs (and, when asked, its ONNX plan: the key of a cached CPU latency), or why not. */
export type CompareInputsResult = { ok: true; inputs: RowInputs; plan: NetworkPlan | null } | { ok: false; error: string };

export interface ConfigureResult {
  ops: string[];
  problems: string[];
}

export type ResponseValue<R extends Request> = R extends { type: 'analyze' }
  ? AnalysisSnapshot
  : R extends { type: 'query'; kind: infer K extends QueryKind }
    ? QueryResults[K]
    : R extends { type: 'configure' }
      ? ConfigureResult
      : R extends { type: 'rules' }
        ? RuleInfo[]
        : R extends { type: 'onnxPlan' }
          ? PlanResult
          : R extends { type: 'compareInputs' }
            ? CompareInputsResult
            : null;

export interface Envelope {
  id: number;
  req: Request;
}

export type Reply = { id: number; ok: true; value: unknown; ms: number } | { id: number; ok: false; error: string; ms: number };

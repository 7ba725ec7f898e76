/** Messages between the extension host and the analysis worker (structured-clone safe). */
import type { AnalysisSnapshot } from '../core/ide/snapshot';
import type { IdeCompletion } from '../core/ide/completion';
import type { IdeHover } from '../core/ide/hover';
import type { IdeSignature } from '../core/ide/signature';
import type { NetworkPlan } from '../core/onnx/build';
import type { SeverityOverrides } from '../core/severity';

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
  | { type: 'rules' }
  | { type: 'ping' };

export interface QueryResults {
  completion: IdeCompletion | null;
  hover: IdeHover | null;
  signature: IdeSignature | null;
}

/** The ONNX plan of a document's version (what "Measure Latency" and "Export ONNX" time or write), or why there is none. */
export type PlanResult = { ok: true; plan: NetworkPlan } | { ok: false; error: string };

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
          : null;

export interface Envelope {
  id: number;
  req: Request;
}

export type Reply = { id: number; ok: true; value: unknown; ms: number } | { id: number; ok: false; error: string; ms: number };

/**
 * The analysis service: runs the core for the editor, in the analysis worker (or in-process when
 * no worker can be started). It keeps, per document, the last Analysis (for hover/completion
 * queries on the same version) and the last one that had an intact network (so that a half-typed
 * stage can still be completed from what the file was a moment ago). Never imports `vscode`.
 */
import { analyze, type Analysis } from '../core/analyze';
import { DEFAULT_OPS, type OpTable } from '../core/schema';
import { RULES } from '../core/rules/index';
import { toSnapshot, type AnalysisSnapshot } from '../core/ide/snapshot';
import { complete } from '../core/ide/completion';
import { hover } from '../core/ide/hover';
import { signatureHelp } from '../core/ide/signature';
import { networkPlan, OnnxBuildError, type NetworkPlan } from '../core/onnx/build';
import type { Network } from '../core/model';
import { rowInputs } from '../core/compare/row';
import { readRegularFileSync } from '../core/guardedRead';
import type { CompareInputsResult, ConfigureResult, DocOptions, PlanResult, QueryKind, Request, RuleInfo } from './protocol';

/** The largest config file the compare request reads from disk. */
export const COMPARE_MAX_BYTES = 4 * 1024 * 1024;

interface DocState {
  key: string;
  analysis: Analysis;
  analyzeMs: number;
  snapshot?: AnalysisSnapshot;
  /** The ONNX plan of this version, made on the first request for it. */
  plan?: PlanResult;
  /** Last analysis with stages and no syntax recovery. */
  lastGood?: Analysis;
}

export class AnalysisService {
  private ops: OpTable = DEFAULT_OPS;
  private opsGeneration = 0;
  private readonly docs = new Map<string, DocState>();

  handle(req: Request): unknown {
    switch (req.type) {
      case 'configure':
        return this.configure(req.ops);
      case 'analyze':
        return this.snapshot(req.uri, req.version, req.text, req.options);
      case 'query':
        return this.query(req.uri, req.version, req.text, req.options, req.kind, req.offset);
      case 'onnxPlan':
        return this.onnxPlan(req.uri, req.version, req.text, req.options);
      case 'forget':
        this.docs.delete(req.uri);
        return null;
      case 'compareInputs':
        return this.compareInputs(req.path, req.text, req.options, !!req.withPlan);
      case 'rules':
        return RULES.map((r): RuleInfo => ({ code: r.code, name: r.name, severity: r.severity, category: r.category, title: r.title, doc: r.doc }));
      case 'ping':
        return null;
    }
  }

  configure(ops: { json: unknown; source: string } | null): ConfigureResult {
    this.ops = ops ? DEFAULT_OPS.extend(ops.json, ops.source) : DEFAULT_OPS;
    this.opsGeneration++;
    return { ops: this.ops.names(), problems: [...this.ops.problems] };
  }

  private state(uri: string, version: number, text: string, options: DocOptions): DocState {
    const key = `${version}|${options.target}|${options.hints}|${options.disabled.join(',')}|${JSON.stringify(options.severity ?? {})}|${this.opsGeneration}|${text.length}`;
    const old = this.docs.get(uri);
    if (old && old.key === key && old.analysis.text === text) return old;
    const t0 = performance.now();
    const analysis = analyze(text, { ops: this.ops, target: options.target, hints: options.hints, disabled: options.disabled, severity: options.severity });
    const analyzeMs = performance.now() - t0;
    const intact = !!analysis.network && analysis.network.stages.length > 0 && !analysis.extracted.netConfig?.recovered;
    const st: DocState = { key, analysis, analyzeMs, lastGood: intact ? analysis : old?.lastGood };
    this.docs.set(uri, st);
    return st;
  }

  snapshot(uri: string, version: number, text: string, options: DocOptions): AnalysisSnapshot {
    const st = this.state(uri, version, text, options);
    if (!st.snapshot) st.snapshot = toSnapshot(st.analysis, { uri, version, analyzeMs: st.analyzeMs, opsProblems: this.ops.problems });
    return st.snapshot;
  }

  /** The ONNX plan of the document's version: from the same analysis as its snapshot (one analysis per version). */
  onnxPlan(uri: string, version: number, text: string, options: DocOptions): PlanResult {
    const st = this.state(uri, version, text, options);
    st.plan ??= planOf(st.analysis.network);
    return st.plan;
  }

  /**
   * A config's compare row inputs: from `text`, else from the file at `path` (a regular file of bounded size). Not
   * kept: the compare and configs views ask once per change of a file.
   */
  compareInputs(file: string, text: string | undefined, options: DocOptions, withPlan: boolean): CompareInputsResult {
    if (text === undefined) {
      const r = readRegularFileSync(file, COMPARE_MAX_BYTES);
      if (!r.ok) return { ok: false, error: `cannot read ${file}: ${r.reason}` };
      text = r.text;
    }
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    const analysis = analyze(text, { ops: this.ops, target: options.target, hints: options.hints, disabled: options.disabled, severity: options.severity });
    const inputs = rowInputs(toSnapshot(analysis, { uri: file, version: 0 }));
    let plan: NetworkPlan | null = null;
    if (withPlan && inputs.relevant) {
      const p = planOf(analysis.network);
      plan = p.ok ? p.plan : null;
    }
    return { ok: true, inputs, plan };
  }

  query(uri: string, version: number, text: string, options: DocOptions, kind: QueryKind, offset: number): unknown {
    const st = this.state(uri, version, text, options);
    const inp = { analysis: st.analysis, previous: st.lastGood !== st.analysis ? st.lastGood : undefined, ops: this.ops, offset };
    switch (kind) {
      case 'completion':
        return complete(inp, { target: st.analysis.target });
      case 'hover':
        return hover(inp, st.snapshot);
      case 'signature':
        return signatureHelp(inp);
    }
  }
}

/** The plan of a network, or why it cannot be timed (not fully known, or not buildable as ONNX). */
function planOf(net: Network | null | undefined): PlanResult {
  if (!net || net.stages.length === 0) return { ok: false, error: 'no MixVarGENet network in this file (net_config with MixVarGENetConfig stages)' };
  if (net.params === null || net.macs === null || net.stages.some((s) => s.unknown.length > 0)) {
    const why = net.stages.flatMap((s) => s.unknown)[0];
    return { ok: false, error: `the network is not fully known${why ? ` (${why})` : ''}; fix the config first` };
  }
  try {
    return { ok: true, plan: networkPlan(net) };
  } catch (e) {
    if (e instanceof OnnxBuildError) return { ok: false, error: e.message };
    throw e;
  }
}

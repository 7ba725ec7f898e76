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
import type { ConfigureResult, DocOptions, QueryKind, Request, RuleInfo } from './protocol';

interface DocState {
  key: string;
  analysis: Analysis;
  analyzeMs: number;
  snapshot?: AnalysisSnapshot;
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
      case 'forget':
        this.docs.delete(req.uri);
        return null;
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
    const key = `${version}|${options.target}|${options.hints}|${options.disabled.join(',')}|${this.opsGeneration}|${text.length}`;
    const old = this.docs.get(uri);
    if (old && old.key === key && old.analysis.text === text) return old;
    const t0 = performance.now();
    const analysis = analyze(text, { ops: this.ops, target: options.target, hints: options.hints, disabled: options.disabled });
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

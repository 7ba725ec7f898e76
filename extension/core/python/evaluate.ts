/**
 * A static evaluator for the subset of Python that HAT configs are written in.
 *
 * It never runs the file: it walks module-level statements in order, binding names to
 * values it can know (literals, arithmetic, containers, dict(...), simple helper functions,
 * comprehensions, f-strings) and to `unknown` otherwise. Rules skip what is unknown.
 *
 * This module owns the statement walk (assignments, imports, def, if, for, and which names become
 * unknown when a statement cannot be followed); the expression walk is expressions.ts, the state
 * both share is evalState.ts.
 */
import { type AnalysisStop, BudgetExceeded, budgetText, Meter } from './budget';
import { CONFIG_CLASS, isConfigField } from './configCall';
import { type Assignment, type Frame, type FuncDef, LoopControl, ReturnSignal } from './evalState';
import { ExpressionEvaluator } from './expressions';
import { augmentListInPlace, MUTATORS } from './methods';
import { binop, iterItems, truthy } from './operators';
import { namedChildren, nodeRange, type PNode, type ParsedModule, walk } from './parse';
import { type ConfigValue, type DictValue, isSeq, rangeLen, unknown, type Value } from './values';

export type { Assignment } from './evalState';

export interface EvalResult {
  /** Module-level names after the whole module ran. */
  env: Map<string, Value>;
  /** Every MixVarGENetConfig call evaluated, in evaluation order (one entry per evaluation). */
  configs: ConfigValue[];
  /** Every dict built, in evaluation order. */
  dicts: DictValue[];
  /** Module-level assignments in order. */
  assignments: Assignment[];
  /** Names (and dotted paths) that refer to the MixVarGENetConfig class. */
  configNames: Set<string>;
  /** Call nodes of MixVarGENetConfig found in the source, whether evaluated or not. */
  configCallNodes: PNode[];
  /** Where a budget ran out (budget.ts): from that statement on, every value is unknown. */
  stopped?: AnalysisStop;
}

/** Evaluate a parsed module statically, under the budgets of `meter` (the defaults when omitted). */
export function evaluateModule(mod: ParsedModule, meter?: Meter): EvalResult {
  return new Evaluator(mod, meter).run();
}

/** Evaluate, then the config calls found in the source that evaluation did not reach (while the budgets last). */
export function evaluateWithOrphans(mod: ParsedModule, meter?: Meter): EvalResult & { orphans: ConfigValue[] } {
  const ev = new Evaluator(mod, meter);
  const res = ev.run();
  const reached = new Set(res.configs.map((c) => c.call.start));
  const orphans: ConfigValue[] = [];
  for (const node of res.configCallNodes) {
    if (reached.has(node.from)) continue;
    const c = ev.evaluateOrphan(node);
    if (c) orphans.push(c);
  }
  return { ...res, orphans };
}

class Evaluator extends ExpressionEvaluator {
  private stopped?: AnalysisStop;

  run(): EvalResult {
    const top: Frame = { locals: null, depth: 0 };
    // A bare `MixVarGENetConfig(` with no import (star import, half-typed file) still counts.
    let sawImport = false;
    for (const s of this.mod.statements) {
      if (s.type === 'ImportStatement' && /\bMixVarGENetConfig\b/.test(this.src(s))) sawImport = true;
    }
    if (!sawImport) this.configNames.add(CONFIG_CLASS);
    for (const stmt of this.mod.statements) {
      this.at = undefined;
      if (this.meter.exceeded) {
        this.invalidateAssigned(stmt, top, 'not analysed: the analysis stopped before this statement');
        continue;
      }
      try {
        this.exec(stmt, top);
      } catch (e) {
        if (e instanceof ReturnSignal || e instanceof LoopControl) continue;
        if (e instanceof BudgetExceeded) {
          // The first statement a budget ran out in is where the analysis stopped; it and every
          // later one only make the names they assign unknown.
          if (!this.stopped) {
            const at = this.at as PNode | undefined;
            const inner = at && at.from >= stmt.from && at.to <= stmt.to && (at.from > stmt.from || at.to < stmt.to) ? nodeRange(at) : undefined;
            this.stopped = { kind: e.kind, phase: 'evaluate', range: nodeRange(stmt), inner, why: budgetText(e.kind, this.meter.limits) };
          }
          this.invalidateAssigned(stmt, top, 'not analysed: the analysis stopped before this statement');
          continue;
        }
        if (e instanceof RangeError) {
          // Too deeply nested for the stack (Python would not compile it either).
          this.invalidateAssigned(stmt, top, 'too deeply nested to follow');
          continue;
        }
        throw e;
      }
    }
    this.sanitize();
    const configCallNodes: PNode[] = [];
    for (const stmt of this.mod.statements) {
      walk(stmt, (n) => {
        if (n.type === 'CallExpression' && n.children[0] && this.isConfigCallee(n.children[0])) configCallNodes.push(n);
      });
    }
    return {
      env: this.env,
      configs: this.configs,
      dicts: this.dicts,
      assignments: this.assignments,
      configNames: this.configNames,
      configCallNodes,
      stopped: this.stopped,
    };
  }

  /** Evaluate a config call found in the source that was never reached (dead code, unknown branch). */
  evaluateOrphan(node: PNode): ConfigValue | undefined {
    this.frozen = true;
    try {
      const v = this.callConfig(node, { locals: new Map(), depth: 0 }, this.src(node.children[0]));
      return v;
    } catch {
      return undefined;
    }
  }

  private exec(stmt: PNode, frame: Frame): void {
    this.tick();
    switch (stmt.type) {
      case 'AssignStatement':
        return this.execAssign(stmt, frame);
      case 'UpdateStatement':
        return this.execUpdate(stmt, frame);
      case 'ExpressionStatement':
        return this.execExpressionStatement(stmt, frame);
      case 'StatementGroup':
        for (const c of namedChildren(stmt)) this.exec(c, frame);
        return;
      case 'ImportStatement':
        return this.execImport(stmt, frame);
      case 'FunctionDefinition':
        return this.execDef(stmt, frame);
      case 'DecoratedStatement': {
        const inner = stmt.children.find((c) => c.type === 'FunctionDefinition' || c.type === 'ClassDefinition');
        if (inner) this.exec(inner, frame);
        return;
      }
      case 'ClassDefinition': {
        const name = stmt.children.find((c) => c.type === 'VariableName');
        if (name) this.bind(this.src(name), unknown(nodeRange(stmt), 'a class'), frame, stmt, name, stmt);
        return;
      }
      case 'IfStatement':
        return this.execIf(stmt, frame);
      case 'ForStatement':
        return this.execFor(stmt, frame);
      case 'ReturnStatement': {
        const e = namedChildren(stmt)[0];
        throw new ReturnSignal(e ? this.eval(e, frame) : { k: 'none', r: nodeRange(stmt) });
      }
      case 'BreakStatement':
        throw new LoopControl('break');
      case 'ContinueStatement':
        throw new LoopControl('continue');
      case 'PassStatement':
      case 'Comment':
        return;
      default:
        this.invalidateAssigned(stmt, frame, `assigned in a ${stmt.type.replace(/Statement$/, '').toLowerCase()} statement`);
        // Still evaluate calls inside for their side records (configs/dicts), best effort.
        return;
    }
  }

  /** Names assigned anywhere inside stmt become unknown. */
  private invalidateAssigned(stmt: PNode, frame: Frame, why: string): void {
    walk(stmt, (n) => {
      if (n.type === 'AssignStatement' || n.type === 'UpdateStatement' || n.type === 'ForStatement') {
        const kids = n.children;
        for (let i = 0; i < kids.length; i++) {
          const k = kids[i];
          if (k.type === 'AssignOp' || k.type === 'UpdateOp' || k.type === 'in') break;
          if (k.type === 'VariableName') this.bind(this.src(k), unknown(nodeRange(k), why), frame);
        }
      }
      if (n.type === 'AssignStatement') {
        // x[i] = v / x.attr = v: the container changes in a way we no longer know.
        for (const k of n.children) {
          if (k.type === 'AssignOp') break;
          if (k.type !== 'MemberExpression') continue;
          this.poisonTarget(k.children[0], frame, why);
          if (k.children[0]?.type === 'VariableName') this.bind(this.src(k.children[0]), unknown(nodeRange(k), why), frame);
        }
      }
      if (n.type === 'ExpressionStatement') {
        // net_config.append(...) and friends under a condition or loop we do not follow.
        const call = n.children[0];
        const callee = call?.type === 'CallExpression' ? call.children[0] : undefined;
        const obj = callee?.type === 'MemberExpression' ? callee.children[0] : undefined;
        const prop = callee?.children.find((c) => c.type === 'PropertyName');
        if (obj && prop && MUTATORS.has(this.src(prop))) this.poisonTarget(obj, frame, why);
        if (obj?.type === 'VariableName' && this.lookup(this.src(obj), frame)) this.bind(this.src(obj), unknown(nodeRange(obj), why), frame);
      }
      if (n.type === 'WithStatement' || n.type === 'TryStatement') {
        for (const k of n.children) if (k.type === 'VariableName') this.bind(this.src(k), unknown(nodeRange(k), why), frame);
      }
      if (n.type === 'FunctionDefinition' || n.type === 'ClassDefinition') {
        const name = n.children.find((c) => c.type === 'VariableName');
        if (name) this.bind(this.src(name), unknown(nodeRange(name), why), frame);
        return false;
      }
      if (n.type === 'ImportStatement') {
        const names = n.children.filter((c) => c.type === 'VariableName');
        const last = names[names.length - 1];
        if (last) this.bind(this.src(last), unknown(nodeRange(last), why), frame);
      }
      return true;
    });
  }

  /** Poison the list/dict an expression like `a`, `a[0]` or `a["k"].b` refers to, without evaluating calls. */
  private poisonTarget(n: PNode | undefined, frame: Frame, why: string): void {
    if (!n || this.frozen) return;
    let called = false;
    walk(n, (c) => {
      if (c.type === 'CallExpression') called = true;
    });
    if (called || this.meter.exceeded) {
      // Evaluating the receiver would run calls: poison the whole container it starts from.
      let base: PNode | undefined = n;
      while (base && base.type === 'MemberExpression') base = base.children[0];
      if (base?.type === 'VariableName') this.poison(this.lookup(this.src(base), frame), why);
      return;
    }
    try {
      this.poison(this.eval(n, frame), why);
    } catch (e) {
      if (e instanceof BudgetExceeded) throw e;
    }
  }

  /** After the run: replace every reference to a poisoned list/dict (nested ones too) by unknown. */
  private sanitize(): void {
    const fix = this.aliases.resolver();
    for (const [k, v] of this.env) this.env.set(k, fix(v));
    for (const c of this.configs) fix(c);
    for (const d of this.dicts) fix(d);
    for (const a of this.assignments) a.value = fix(a.value);
  }

  private execAssign(stmt: PNode, frame: Frame): void {
    const kids = stmt.children;
    // Split at AssignOps: targets... = value
    const parts: PNode[][] = [[]];
    for (const k of kids) {
      if (k.type === 'AssignOp') parts.push([]);
      else if (k.type !== 'TypeDef') parts[parts.length - 1].push(k);
    }
    if (parts.length < 2) return; // annotation only
    const valueNodes = parts[parts.length - 1];
    const exprNode = valueNodes.length === 1 ? valueNodes[0] : undefined;
    let value: Value;
    if (valueNodes.length === 0) value = unknown(nodeRange(stmt), 'missing value');
    else if (valueNodes.length === 1) value = this.safeEval(valueNodes[0], frame);
    else {
      const items = valueNodes.filter((n) => n.type !== ',').map((n) => this.safeEval(n, frame));
      value = { k: 'tuple', items, r: { start: valueNodes[0].from, end: valueNodes[valueNodes.length - 1].to } };
    }
    for (const targetParts of parts.slice(0, -1)) {
      const targets = targetParts.filter((n) => n.type !== ',');
      if (targets.length === 1 && targets[0].type !== 'TupleExpression' && targets[0].type !== 'ArrayExpression') {
        this.assignTarget(targets[0], value, frame, stmt, exprNode);
      } else {
        const flat =
          targets.length === 1 ? namedChildren(targets[0]) : targets;
        const seq = isSeq(value) && value.items.length === flat.length ? value.items : undefined;
        flat.forEach((t, i) => this.assignTarget(t, seq ? seq[i] : unknown(nodeRange(t), 'unpacked from an unknown value'), frame, stmt, undefined));
      }
    }
  }

  private assignTarget(t: PNode, value: Value, frame: Frame, stmt: PNode, expr: PNode | undefined): void {
    if (t.type === 'VariableName') {
      this.bind(this.src(t), value, frame, stmt, t, expr);
      return;
    }
    if (t.type === 'MemberExpression') {
      // x["key"] = v on a known dict, x[i] = v on a known list: changed in place, so every name
      // holding the same object sees it, as in Python. cfg.field = v: the field is no longer known.
      const base = t.children[0];
      if (!base) return;
      const baseName = base.type === 'VariableName' ? this.src(base) : undefined;
      const cur = this.safeEval(base, frame);
      const giveUp = (why: string) => {
        if (this.frozen) {
          if (baseName && frame.locals) frame.locals.set(baseName, unknown(cur.r, why));
          return;
        }
        this.poison(cur, why);
        if (baseName && cur.k !== 'unknown' && cur.k !== 'list' && cur.k !== 'dict' && cur.k !== 'config') this.bind(baseName, unknown(cur.r, why), frame);
      };
      if (t.children[1]?.type === '.') {
        const prop = t.children.find((c) => c.type === 'PropertyName');
        if (cur.k === 'config' && prop && !this.frozen) {
          const field = this.src(prop);
          const old = cur.args.get(field);
          const v = unknown(nodeRange(stmt), `${field} is set again by an assignment`);
          if (old) cur.args.set(field, { ...old, value: v });
          else if (isConfigField(field)) cur.args.set(field, { value: v, argRange: nodeRange(stmt) });
        }
        return;
      }
      const inside = t.children.slice(1).filter((c) => c.type !== '[' && c.type !== ']');
      const idxNode = inside[0];
      if (!idxNode || inside.length !== 1) return giveUp('changed through a slice or a subscript that is not followed');
      const key = this.safeEval(idxNode, frame);
      if (this.frozen) return giveUp('changed in a function that is not followed');
      if (cur.k === 'dict' && key.k === 'str') {
        cur.entries.set(key.v, { value, keyRange: nodeRange(idxNode), itemRange: nodeRange(stmt) });
        return;
      }
      if (cur.k === 'list' && key.k === 'int') {
        const i = key.v < 0 ? cur.items.length + key.v : key.v;
        if (i >= 0 && i < cur.items.length) {
          cur.items[i] = value;
          return;
        }
      }
      giveUp('modified in a way that is not followed');
    }
  }

  private execUpdate(stmt: PNode, frame: Frame): void {
    const [target, opNode, valueNode] = stmt.children;
    if (!target || !opNode || !valueNode || target.type !== 'VariableName') {
      this.invalidateAssigned(stmt, frame, 'augmented assignment');
      return;
    }
    const name = this.src(target);
    const cur = this.lookup(name, frame) ?? unknown(nodeRange(target), `name '${name}' is not defined`);
    const rhs = this.safeEval(valueNode, frame);
    const op = this.src(opNode).replace('=', '');
    if (cur.k === 'list' && (op === '+' || op === '*') && !this.frozen) {
      // list += iterable / list *= n change the list in place (aliases see it).
      if (!augmentListInPlace(cur.items, op, rhs, this.meter)) this.poison(cur, `${name} ${op}= ... could not be followed`);
      this.bind(name, this.live(cur), frame, stmt, target, valueNode);
      return;
    }
    const value = binop(op, cur, rhs, nodeRange(stmt), this.meter);
    this.bind(name, value.k === 'list' || value.k === 'tuple' ? { ...value, r: cur.r } : value, frame, stmt, target, valueNode);
  }

  private execExpressionStatement(stmt: PNode, frame: Frame): void {
    const e = namedChildren(stmt)[0];
    if (!e) return;
    // net_config.append(...) and other methods that change a list or dict in place are followed by
    // evalCall (see callMethod), the same way in a statement and inside an expression.
    this.safeEval(e, frame);
  }

  private execImport(stmt: PNode, frame: Frame): void {
    const kids = stmt.children;
    const isFrom = kids[0]?.type === 'from';
    if (isFrom) {
      const importIdx = kids.findIndex((k) => k.type === 'import');
      const modPath = kids
        .slice(1, importIdx)
        .filter((k) => k.type === 'VariableName')
        .map((k) => this.src(k));
      const rest = kids.slice(importIdx + 1);
      for (let i = 0; i < rest.length; i++) {
        const k = rest[i];
        if (k.type !== 'VariableName') continue;
        const name = this.src(k);
        let alias = name;
        let aliasNode = k;
        if (rest[i + 1]?.type === 'as' && rest[i + 2]?.type === 'VariableName') {
          aliasNode = rest[i + 2];
          alias = this.src(aliasNode);
          i += 2;
        }
        this.bind(alias, { k: 'ref', path: [...modPath, name], r: nodeRange(aliasNode) }, frame, stmt, aliasNode);
        if (name === CONFIG_CLASS) this.configNames.add(alias);
      }
    } else {
      // import a.b.c [as d], e
      let i = 1;
      while (i < kids.length) {
        const path: string[] = [];
        let last: PNode | undefined;
        while (i < kids.length && (kids[i].type === 'VariableName' || kids[i].type === '.')) {
          if (kids[i].type === 'VariableName') {
            path.push(this.src(kids[i]));
            last = kids[i];
          }
          i++;
        }
        if (kids[i]?.type === 'as' && kids[i + 1]?.type === 'VariableName') {
          const aliasNode = kids[i + 1];
          this.bind(this.src(aliasNode), { k: 'ref', path, r: nodeRange(aliasNode) }, frame, stmt, aliasNode);
          this.configNames.add(this.src(aliasNode) + '.' + CONFIG_CLASS);
          i += 2;
        } else if (path.length && last) {
          this.bind(path[0], { k: 'ref', path: [path[0]], r: nodeRange(last) }, frame, stmt, last);
          this.configNames.add(path.join('.') + '.' + CONFIG_CLASS);
        }
        if (kids[i]?.type === ',') i++;
        else if (i < kids.length) i++;
      }
    }
  }

  private execDef(stmt: PNode, frame: Frame): void {
    const nameNode = stmt.children.find((c) => c.type === 'VariableName');
    if (!nameNode) return;
    const paramList = stmt.children.find((c) => c.type === 'ParamList');
    const params: FuncDef['params'] = [];
    if (paramList) {
      const ks = paramList.children;
      for (let i = 0; i < ks.length; i++) {
        const k = ks[i];
        if (k.type === 'VariableName') {
          const prev = ks[i - 1]?.type;
          const kind = prev === '*' ? 'star' : prev === '**' ? 'kw' : 'plain';
          let def: PNode | undefined;
          if (ks[i + 1]?.type === 'AssignOp' && ks[i + 2]) {
            def = ks[i + 2];
            i += 2;
          } else if (ks[i + 1]?.type === 'TypeDef') {
            if (ks[i + 2]?.type === 'AssignOp' && ks[i + 3]) {
              def = ks[i + 3];
              i += 3;
            }
          }
          params.push({ name: this.src(k), kind, def, defValue: def ? this.safeEval(def, frame) : undefined });
        }
      }
    }
    const id = this.funcs.length;
    this.funcs.push({ name: this.src(nameNode), node: stmt, params, body: stmt.children.find((c) => c.type === 'Body') });
    this.bind(this.src(nameNode), { k: 'func', name: this.src(nameNode), id, r: nodeRange(nameNode) }, frame, stmt, nameNode);
  }

  private execIf(stmt: PNode, frame: Frame): void {
    const kids = stmt.children;
    // if cond Body (elif cond Body)* (else Body)?
    let i = 0;
    while (i < kids.length) {
      const kw = kids[i].type;
      if (kw === 'if' || kw === 'elif') {
        const cond = kids[i + 1];
        const body = kids[i + 2];
        const c = cond ? truthy(this.safeEval(cond, frame)) : undefined;
        if (c === undefined) {
          this.invalidateAssigned(stmt, frame, 'assigned under a condition that cannot be known');
          return;
        }
        if (c) {
          if (body) this.execBody(body, frame);
          return;
        }
        i += 3;
      } else if (kw === 'else') {
        const body = kids[i + 1];
        if (body) this.execBody(body, frame);
        return;
      } else i++;
    }
  }

  private execFor(stmt: PNode, frame: Frame): void {
    const kids = stmt.children;
    const inIdx = kids.findIndex((k) => k.type === 'in');
    const targets = kids.slice(1, inIdx).filter((k) => k.type !== ',');
    const iterNode = kids[inIdx + 1];
    const body = kids.find((k) => k.type === 'Body');
    const hasElse = kids.some((k) => k.type === 'else');
    const iter = iterNode ? this.safeEval(iterNode, frame) : undefined;
    // A list or tuple is walked live (by index, as Python does); a range, str or iterator by its items.
    const len = !iter ? Infinity : isSeq(iter) ? iter.items.length : iter.k === 'range' ? rangeLen(iter.start, iter.stop, iter.step) : iter.k === 'str' ? iter.v.length : iter.k === 'iter' ? iter.items.length : Infinity;
    const items = iter && len <= 1000 ? (isSeq(iter) ? iter.items : iterItems(iter, this.meter)) : undefined;
    if (!items || !body || hasElse || inIdx < 0) {
      this.invalidateAssigned(stmt, frame, 'assigned in a loop that cannot be followed');
      return;
    }
    for (const item of items) {
      this.assignLoopTargets(targets, item, frame);
      try {
        this.execBody(body, frame, true);
      } catch (e) {
        if (e instanceof LoopControl) {
          if (e.kind === 'break') break;
          continue;
        }
        throw e;
      }
    }
  }

  protected execBody(body: PNode, frame: Frame, inLoop = false): void {
    for (const s of namedChildren(body)) {
      if (inLoop && (s.type === 'BreakStatement' || s.type === 'ContinueStatement')) {
        throw new LoopControl(s.type === 'BreakStatement' ? 'break' : 'continue');
      }
      this.exec(s, frame);
    }
  }
}

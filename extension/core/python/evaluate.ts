/**
 * A static evaluator for the subset of Python that HAT configs are written in.
 *
 * It never runs the file: it walks module-level statements in order, binding names to
 * values it can know (literals, arithmetic, containers, dict(...), simple helper functions,
 * comprehensions, f-strings) and to `unknown` otherwise. Rules skip what is unknown.
 */
import type { Range } from '../text';
import { BUILTIN_NAMES, callBuiltin, callModuleFunction } from './builtins';
import { bindConfigArgs, CONFIG_CLASS, configFieldDefault, isConfigField } from './configCall';
import { augmentListInPlace, callReadingMethod, mutate, MUTATORS } from './methods';
import { parseNumber } from './numbers';
import { binop, sliceValue, subscriptValue, truthy } from './operators';
import { namedChildren, type PNode, type ParsedModule, walk } from './parse';
import { decodeFStringText, decodeStringLiteral, pyStr } from './strings';
import {
  type CallArgs,
  type ConfigValue,
  type DictEntry,
  type DictValue,
  isNumber,
  isSeq,
  MAX_SEQ,
  unknown,
  type Value,
} from './values';

const MAX_STEPS = 2_000_000;
const MAX_DEPTH = 32;

export interface Assignment {
  name: string;
  value: Value;
  /** The statement's range. */
  stmt: Range;
  /** The target name's range. */
  target: Range;
  /** Range of the assigned expression. */
  expr: Range;
}

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
}

class Budget extends Error {}

interface Frame {
  locals: Map<string, Value> | null;
  depth: number;
}

interface FuncDef {
  name: string;
  node: PNode;
  /** Default values are evaluated when `def` runs, as Python does. */
  params: { name: string; kind: 'plain' | 'star' | 'kw'; def?: PNode; defValue?: Value }[];
  body: PNode | undefined;
}

class ReturnSignal {
  constructor(readonly value: Value) {}
}

function r(n: PNode): Range {
  return { start: n.from, end: n.to };
}

/** Evaluate a parsed module statically. */
export function evaluateModule(mod: ParsedModule): EvalResult {
  return new Evaluator(mod).run();
}

class Evaluator {
  private readonly text: string;
  private readonly env = new Map<string, Value>();
  private readonly funcs: FuncDef[] = [];
  private readonly configs: ConfigValue[] = [];
  private readonly dicts: DictValue[] = [];
  private readonly assignments: Assignment[] = [];
  private readonly configNames = new Set<string>();
  private steps = 0;
  private nextConfigId = 1;
  /**
   * Lists and dicts changed in a way that is not followed, by their items array / entries map.
   * Lists and dicts are changed IN PLACE (their items array / entries map is shared by every
   * name, argument and container holding the same Python object), so marking the storage makes
   * every alias unknown at once.
   */
  private readonly poisoned = new WeakMap<object, string>();
  /** Set while evaluating orphan config calls: nothing may change the module's values then. */
  private frozen = false;

  constructor(private readonly mod: ParsedModule) {
    this.text = mod.text;
  }

  run(): EvalResult {
    const top: Frame = { locals: null, depth: 0 };
    // A bare `MixVarGENetConfig(` with no import (star import, half-typed file) still counts.
    let sawImport = false;
    for (const s of this.mod.statements) {
      if (s.type === 'ImportStatement' && /\bMixVarGENetConfig\b/.test(this.src(s))) sawImport = true;
    }
    if (!sawImport) this.configNames.add(CONFIG_CLASS);
    for (const stmt of this.mod.statements) {
      try {
        this.exec(stmt, top);
      } catch (e) {
        if (e instanceof ReturnSignal || e instanceof LoopControl) continue;
        if (e instanceof Budget) {
          this.invalidateAssigned(stmt, top, 'evaluation budget exceeded');
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

  private src(n: PNode): string {
    return this.text.slice(n.from, n.to);
  }

  private tick(): void {
    if (++this.steps > MAX_STEPS) throw new Budget();
  }

  private isConfigCallee(n: PNode): boolean {
    const t = this.src(n).replace(/\s+/g, '');
    if (this.configNames.has(t)) return true;
    return n.type === 'MemberExpression' && t.endsWith('.' + CONFIG_CLASS);
  }

  // ---------------------------------------------------------------- statements

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
        if (name) this.bind(this.src(name), unknown(r(stmt), 'a class'), frame, stmt, name, stmt);
        return;
      }
      case 'IfStatement':
        return this.execIf(stmt, frame);
      case 'ForStatement':
        return this.execFor(stmt, frame);
      case 'ReturnStatement': {
        const e = namedChildren(stmt)[0];
        throw new ReturnSignal(e ? this.eval(e, frame) : { k: 'none', r: r(stmt) });
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
          if (k.type === 'VariableName') this.bind(this.src(k), unknown(r(k), why), frame);
        }
      }
      if (n.type === 'AssignStatement') {
        // x[i] = v / x.attr = v: the container changes in a way we no longer know.
        for (const k of n.children) {
          if (k.type === 'AssignOp') break;
          if (k.type !== 'MemberExpression') continue;
          this.poisonTarget(k.children[0], frame, why);
          if (k.children[0]?.type === 'VariableName') this.bind(this.src(k.children[0]), unknown(r(k), why), frame);
        }
      }
      if (n.type === 'ExpressionStatement') {
        // net_config.append(...) and friends under a condition or loop we do not follow.
        const call = n.children[0];
        const callee = call?.type === 'CallExpression' ? call.children[0] : undefined;
        const obj = callee?.type === 'MemberExpression' ? callee.children[0] : undefined;
        const prop = callee?.children.find((c) => c.type === 'PropertyName');
        if (obj && prop && MUTATORS.has(this.src(prop))) this.poisonTarget(obj, frame, why);
        if (obj?.type === 'VariableName' && this.lookup(this.src(obj), frame)) this.bind(this.src(obj), unknown(r(obj), why), frame);
      }
      if (n.type === 'WithStatement' || n.type === 'TryStatement') {
        for (const k of n.children) if (k.type === 'VariableName') this.bind(this.src(k), unknown(r(k), why), frame);
      }
      if (n.type === 'FunctionDefinition' || n.type === 'ClassDefinition') {
        const name = n.children.find((c) => c.type === 'VariableName');
        if (name) this.bind(this.src(name), unknown(r(name), why), frame);
        return false;
      }
      if (n.type === 'ImportStatement') {
        const names = n.children.filter((c) => c.type === 'VariableName');
        const last = names[names.length - 1];
        if (last) this.bind(this.src(last), unknown(r(last), why), frame);
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
    if (called) {
      // Evaluating the receiver would run calls: poison the whole container it starts from.
      let base: PNode | undefined = n;
      while (base && base.type === 'MemberExpression') base = base.children[0];
      if (base?.type === 'VariableName') this.poison(this.lookup(this.src(base), frame), why);
      return;
    }
    try {
      this.poison(this.eval(n, frame), why);
    } catch (e) {
      if (e instanceof Budget) throw e;
    }
  }

  private lookup(name: string, frame: Frame): Value | undefined {
    const v = frame.locals && frame.locals.has(name) ? frame.locals.get(name) : this.env.get(name);
    return v && this.live(v);
  }

  /** v, or unknown when v is a list/dict that was changed in a way that is not followed. */
  private live(v: Value): Value {
    const store = v.k === 'list' || v.k === 'tuple' ? v.items : v.k === 'dict' ? v.entries : undefined;
    const why = store && this.poisoned.get(store);
    return why ? unknown(v.r, why) : v;
  }

  /** Mark a list/dict (every name and container holding it) as changed in a way that is not followed. */
  private poison(v: Value | undefined, why: string): void {
    if (this.frozen || !v) return;
    if (v.k === 'list') this.poisoned.set(v.items, why);
    else if (v.k === 'dict') this.poisoned.set(v.entries, why);
  }

  /** After the run: replace every reference to a poisoned list/dict (nested ones too) by unknown. */
  private sanitize(): void {
    const seen = new WeakSet<object>();
    const fix = (v: Value, depth: number): Value => {
      const l = this.live(v);
      if (l !== v || depth > 12) return l;
      if (v.k === 'list' || v.k === 'tuple') {
        if (seen.has(v.items)) return v;
        seen.add(v.items);
        for (let i = 0; i < v.items.length; i++) v.items[i] = fix(v.items[i], depth + 1);
      } else if (v.k === 'dict') {
        if (seen.has(v.entries)) return v;
        seen.add(v.entries);
        for (const [k, e] of v.entries) {
          const x = fix(e.value, depth + 1);
          if (x !== e.value) v.entries.set(k, { ...e, value: x });
        }
      } else if (v.k === 'config') {
        if (seen.has(v.args)) return v;
        seen.add(v.args);
        for (const [k, a] of v.args) {
          const x = fix(a.value, depth + 1);
          if (x !== a.value) v.args.set(k, { ...a, value: x });
        }
      }
      return v;
    };
    for (const [k, v] of this.env) this.env.set(k, fix(v, 0));
    for (const c of this.configs) fix(c, 0);
    for (const d of this.dicts) fix(d, 0);
    for (const a of this.assignments) a.value = fix(a.value, 0);
  }


  private bind(name: string, value: Value, frame: Frame, stmt?: PNode, target?: PNode, expr?: PNode): void {
    if (frame.locals) {
      frame.locals.set(name, value);
      return;
    }
    this.env.set(name, value);
    if (this.configNames.has(name) && !(value.k === 'ref' && value.path[value.path.length - 1] === CONFIG_CLASS)) {
      this.configNames.delete(name);
    }
    if (stmt && target) {
      this.assignments.push({ name, value, stmt: r(stmt), target: r(target), expr: expr ? r(expr) : r(stmt) });
    }
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
    if (valueNodes.length === 0) value = unknown(r(stmt), 'missing value');
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
        flat.forEach((t, i) => this.assignTarget(t, seq ? seq[i] : unknown(r(t), 'unpacked from an unknown value'), frame, stmt, undefined));
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
          const v = unknown(r(stmt), `${field} is set again by an assignment`);
          if (old) cur.args.set(field, { ...old, value: v });
          else if (isConfigField(field)) cur.args.set(field, { value: v, argRange: r(stmt) });
        }
        return;
      }
      const inside = t.children.slice(1).filter((c) => c.type !== '[' && c.type !== ']');
      const idxNode = inside[0];
      if (!idxNode || inside.length !== 1) return giveUp('changed through a slice or a subscript that is not followed');
      const key = this.safeEval(idxNode, frame);
      if (this.frozen) return giveUp('changed in a function that is not followed');
      if (cur.k === 'dict' && key.k === 'str') {
        cur.entries.set(key.v, { value, keyRange: r(idxNode), itemRange: r(stmt) });
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
    const cur = this.lookup(name, frame) ?? unknown(r(target), `name '${name}' is not defined`);
    const rhs = this.safeEval(valueNode, frame);
    const op = this.src(opNode).replace('=', '');
    if (cur.k === 'list' && (op === '+' || op === '*') && !this.frozen) {
      // list += iterable / list *= n change the list in place (aliases see it).
      if (!augmentListInPlace(cur.items, op, rhs)) this.poison(cur, `${name} ${op}= ... could not be followed`);
      this.bind(name, this.live(cur), frame, stmt, target, valueNode);
      return;
    }
    const value = binop(op, cur, rhs, r(stmt));
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
        this.bind(alias, { k: 'ref', path: [...modPath, name], r: r(aliasNode) }, frame, stmt, aliasNode);
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
          this.bind(this.src(aliasNode), { k: 'ref', path, r: r(aliasNode) }, frame, stmt, aliasNode);
          this.configNames.add(this.src(aliasNode) + '.' + CONFIG_CLASS);
          i += 2;
        } else if (path.length && last) {
          this.bind(path[0], { k: 'ref', path: [path[0]], r: r(last) }, frame, stmt, last);
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
    this.bind(this.src(nameNode), { k: 'func', name: this.src(nameNode), id, r: r(nameNode) }, frame, stmt, nameNode);
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
    if (!iter || !isSeq(iter) || iter.items.length > 1000 || !body || hasElse || inIdx < 0) {
      this.invalidateAssigned(stmt, frame, 'assigned in a loop that cannot be followed');
      return;
    }
    for (const item of iter.items) {
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

  private assignLoopTargets(targets: PNode[], item: Value, frame: Frame): void {
    const flat = targets.length === 1 && targets[0].type === 'TupleExpression' ? namedChildren(targets[0]) : targets;
    if (flat.length === 1) {
      if (flat[0].type === 'VariableName') this.bind(this.src(flat[0]), item, frame);
      return;
    }
    const seq = isSeq(item) && item.items.length === flat.length ? item.items : undefined;
    flat.forEach((t, i) => {
      if (t.type === 'VariableName') this.bind(this.src(t), seq ? seq[i] : unknown(r(t), 'unpacked from an unknown value'), frame);
    });
  }

  private execBody(body: PNode, frame: Frame, inLoop = false): void {
    for (const s of namedChildren(body)) {
      if (inLoop && (s.type === 'BreakStatement' || s.type === 'ContinueStatement')) {
        throw new LoopControl(s.type === 'BreakStatement' ? 'break' : 'continue');
      }
      this.exec(s, frame);
    }
  }

  // ---------------------------------------------------------------- expressions

  private safeEval(n: PNode, frame: Frame): Value {
    try {
      return this.eval(n, frame);
    } catch (e) {
      if (e instanceof Budget || e instanceof ReturnSignal || e instanceof LoopControl) throw e;
      return unknown(r(n), 'could not be evaluated');
    }
  }

  eval(n: PNode, frame: Frame): Value {
    this.tick();
    const R = r(n);
    switch (n.type) {
      case 'Number': {
        const p = parseNumber(this.src(n));
        return p ? { ...p, r: R, literal: true } : unknown(R, 'a complex number');
      }
      case 'String': {
        const s = decodeStringLiteral(this.src(n));
        return s === undefined ? unknown(R, 'a bytes literal, or a \\N{...} escape') : { k: 'str', v: s, r: R, literal: true };
      }
      case 'ContinuedString': {
        let acc = '';
        for (const c of namedChildren(n)) {
          const v = this.eval(c, frame);
          if (v.k !== 'str') return unknown(R, 'a string that cannot be known');
          acc += v.v;
        }
        return { k: 'str', v: acc, r: R };
      }
      case 'FormatString':
        return this.evalFString(n, frame);
      case 'Boolean':
        return { k: 'bool', v: this.src(n) === 'True', r: R, literal: true };
      case 'None':
        return { k: 'none', r: R, literal: true };
      case 'VariableName': {
        const name = this.src(n);
        const v = this.lookup(name, frame);
        if (v) {
          const isLocal = !!frame.locals && frame.locals.has(name);
          if (isLocal) return v;
          switch (v.k) {
            case 'int':
            case 'float':
            case 'str':
            case 'bool':
            case 'none':
            case 'unknown':
              return { ...v, r: R, def: v.def ?? v.r, literal: false };
            default:
              return { ...v, r: R, def: v.def ?? v.r };
          }
        }
        if (BUILTIN_NAMES.has(name)) return { k: 'builtin', name, r: R };
        if (this.configNames.has(name)) return { k: 'ref', path: [name], r: R };
        return unknown(R, `name '${name}' is not defined in this file`);
      }
      case 'ParenthesizedExpression': {
        const inner = namedChildren(n)[0];
        if (!inner) return unknown(R, 'empty parentheses');
        const v = this.eval(inner, frame);
        return v;
      }
      case 'TupleExpression':
        return this.evalSeq(n, 'tuple', frame);
      case 'ArrayExpression':
        return this.evalSeq(n, 'list', frame);
      case 'ArrayComprehensionExpression':
        if (!n.children.some((c) => c.type === 'for')) return this.evalSeq(n, 'list', frame);
        return this.evalComprehension(n, frame, 'list');
      case 'ComprehensionExpression':
        return this.evalComprehension(n, frame, 'tuple');
      case 'DictionaryExpression':
        return this.evalDictLiteral(n, frame);
      case 'BinaryExpression':
        return this.evalBinary(n, frame);
      case 'UnaryExpression': {
        const op = this.src(n.children[0]);
        const operand = namedChildren(n).filter((c) => c !== n.children[0]).pop() ?? n.children[1];
        if (!operand) return unknown(R, 'missing operand');
        const v = this.eval(operand, frame);
        if (op === 'not') {
          const t = truthy(v);
          return t === undefined ? unknown(R, 'unknown truth value') : { k: 'bool', v: !t, r: R };
        }
        if (isNumber(v)) {
          const lit = !!v.literal && v.r.start === operand.from;
          if (op === '-') return { k: v.k, v: -v.v, r: R, literal: lit };
          if (op === '+') return { k: v.k, v: v.v, r: R, literal: lit };
          if (op === '~' && v.k === 'int') return { k: 'int', v: ~v.v, r: R };
        }
        if (v.k === 'bool' && (op === '-' || op === '+')) return { k: 'int', v: op === '-' ? -Number(v.v) : Number(v.v), r: R };
        return unknown(R, `unary ${op} of a value that cannot be known`);
      }
      case 'ConditionalExpression': {
        const parts = namedChildren(n);
        const [a, c, b] = parts;
        if (!a || !c || !b) return unknown(R, 'incomplete conditional');
        const t = truthy(this.eval(c, frame));
        if (t === undefined) return unknown(R, 'a condition that cannot be known');
        return this.eval(t ? a : b, frame);
      }
      case 'CallExpression':
        return this.evalCall(n, frame);
      case 'MemberExpression':
        return this.evalMember(n, frame);
      default:
        return unknown(R, n.type === '⚠' ? 'a syntax error' : `a ${n.type} expression`);
    }
  }

  private evalFString(n: PNode, frame: Frame): Value {
    const raw = this.src(n);
    const m = /^([rRfFbBuU]*)('''|"""|'|")/.exec(raw);
    if (!m) return unknown(r(n), 'an f-string');
    const quoteLen = m[0].length;
    let pos = n.from + quoteLen;
    let out = '';
    const end = n.to - m[2].length;
    const isRaw = m[1].toLowerCase().includes('r');
    // The text between fields, with {{ }} and (unless raw) backslash escapes decoded.
    const literal = (from: number, to: number): string | undefined => decodeFStringText(this.text.slice(from, to), isRaw);
    for (const c of n.children) {
      if (c.type !== 'FormatReplacement') continue;
      const lit = literal(pos, c.from);
      if (lit === undefined) return unknown(r(n), 'an f-string with a \\N{...} escape');
      out += lit;
      if (c.children.some((k) => k.type === 'FormatSpec' || k.type === 'FormatConversion' || k.type === 'FormatSelfDoc')) {
        return unknown(r(n), 'an f-string with a format spec');
      }
      const expr = namedChildren(c)[0];
      if (!expr) return unknown(r(n), 'an empty f-string field');
      const v = this.eval(expr, frame);
      const s = pyStr(v);
      if (s === undefined) return unknown(r(n), 'an f-string of a value that cannot be known');
      out += s;
      pos = c.to;
    }
    const tail = literal(pos, Math.max(pos, end));
    if (tail === undefined) return unknown(r(n), 'an f-string with a \\N{...} escape');
    out += tail;
    return { k: 'str', v: out, r: r(n) };
  }

  private evalSeq(n: PNode, kind: 'list' | 'tuple', frame: Frame): Value {
    const items: Value[] = [];
    const kids = n.children;
    for (let i = 0; i < kids.length; i++) {
      const c = kids[i];
      if (!/^[A-Z⚠]/.test(c.type)) {
        if (c.type === '*') {
          const next = kids[i + 1];
          if (!next) break;
          const v = this.eval(next, frame);
          if (!isSeq(v)) return unknown(r(n), 'a starred item that cannot be known');
          items.push(...v.items);
          i++;
        }
        continue;
      }
      if (c.type === '⚠') continue;
      items.push(this.safeEval(c, frame));
    }
    return { k: kind, items, r: r(n) };
  }

  private evalComprehension(n: PNode, frame: Frame, kind: 'list' | 'tuple'): Value {
    // [elt for t in it (if c)* (for t2 in it2 (if c2)*)*]
    const kids = n.children.filter((c) => c.type !== '[' && c.type !== ']' && c.type !== '(' && c.type !== ')');
    return this.evalComprehensionParts(kids, r(n), frame, kind);
  }

  /** A comprehension given as its parts: elt, `for`, targets, `in`, iterable, (`if`, cond)*, … */
  private evalComprehensionParts(kids: PNode[], R: Range, frame: Frame, kind: 'list' | 'tuple'): Value {
    const elt = kids[0];
    const clauses: { targets: PNode[]; iter: PNode; conds: PNode[] }[] = [];
    let i = 1;
    while (i < kids.length) {
      if (kids[i].type === 'async') {
        return unknown(R, 'an async comprehension');
      }
      if (kids[i].type !== 'for') return unknown(R, 'a comprehension that cannot be followed');
      const inIdx = kids.findIndex((k, j) => j > i && k.type === 'in');
      if (inIdx < 0 || !kids[inIdx + 1]) return unknown(R, 'an incomplete comprehension');
      const targets = kids.slice(i + 1, inIdx).filter((k) => k.type !== ',');
      const clause = { targets, iter: kids[inIdx + 1], conds: [] as PNode[] };
      i = inIdx + 2;
      while (i < kids.length && kids[i].type === 'if') {
        clause.conds.push(kids[i + 1]);
        i += 2;
      }
      clauses.push(clause);
    }
    if (!elt || clauses.length === 0) return unknown(R, 'an incomplete comprehension');
    const locals = new Map(frame.locals ?? []);
    const inner: Frame = { locals, depth: frame.depth };
    const items: Value[] = [];
    const loop = (ci: number): boolean => {
      if (ci === clauses.length) {
        items.push(this.eval(elt, inner));
        return items.length <= MAX_SEQ;
      }
      const cl = clauses[ci];
      const it = this.eval(cl.iter, inner);
      if (!isSeq(it) && it.k !== 'str') return false;
      const seq: Value[] = it.k === 'str' ? [...it.v].map((ch) => ({ k: 'str', v: ch, r: it.r }) as Value) : it.items;
      for (const item of seq) {
        this.assignLoopTargets(cl.targets, item, inner);
        let ok = true;
        for (const c of cl.conds) {
          const t = truthy(this.eval(c, inner));
          if (t === undefined) return false;
          if (!t) {
            ok = false;
            break;
          }
        }
        if (ok && !loop(ci + 1)) return false;
      }
      return true;
    };
    if (!loop(0)) return unknown(R, 'a comprehension over values that cannot be known');
    return { k: kind, items, r: R };
  }

  private evalDictLiteral(n: PNode, frame: Frame): Value {
    const entries = new Map<string, DictEntry>();
    let complete = true;
    const kids = n.children;
    if (kids.some((c) => c.type === 'for')) return unknown(r(n), 'a dict comprehension');
    for (let i = 0; i < kids.length; i++) {
      const c = kids[i];
      if (c.type === '**') {
        const src = kids[i + 1] ? this.safeEval(kids[i + 1], frame) : undefined;
        if (src?.k === 'dict') {
          for (const [k, v] of src.entries) entries.set(k, v);
          complete = complete && src.complete;
        } else complete = false;
        i++;
        continue;
      }
      if (!/^[A-Z]/.test(c.type)) continue;
      if (kids[i + 1]?.type === ':' && kids[i + 2]) {
        const key = this.safeEval(c, frame);
        const valueNode = kids[i + 2];
        const value = this.safeEval(valueNode, frame);
        if (key.k === 'str') entries.set(key.v, { value, keyRange: r(c), itemRange: { start: c.from, end: valueNode.to } });
        else complete = false;
        i += 2;
      } else complete = false;
    }
    const d: DictValue = { k: 'dict', entries, complete: complete && !n.error, r: r(n), node: r(n) };
    this.dicts.push(d);
    return d;
  }

  private evalBinary(n: PNode, frame: Frame): Value {
    const named = n.children.filter((c) => /^[A-Z⚠]/.test(c.type) && c.type !== 'ArithOp' && c.type !== 'BitOp' && c.type !== 'CompareOp');
    const left = named[0];
    const right = named[named.length - 1];
    if (!left || !right || left === right) return unknown(r(n), 'an incomplete expression');
    const op = this.text.slice(left.to, right.from).trim().replace(/\s+/g, ' ');
    if (op === 'and' || op === 'or') {
      const a = this.eval(left, frame);
      const t = truthy(a);
      if (t === undefined) return unknown(r(n), `${op} of a value that cannot be known`);
      if (op === 'and') return t ? this.eval(right, frame) : a;
      return t ? a : this.eval(right, frame);
    }
    return binop(op, this.eval(left, frame), this.eval(right, frame), r(n));
  }

  private evalArgs(argList: PNode | undefined, frame: Frame): CallArgs {
    const pos: Value[] = [];
    const posNodes: PNode[] = [];
    const kw = new Map<string, { value: Value; nameRange: Range; argRange: Range }>();
    const kwOrder: { name: string; nameRange: Range; argRange: Range }[] = [];
    let opaque = false;
    let errorArgs = 0;
    let gen: Value | undefined;
    if (!argList) return { pos, posNodes, kw, kwOrder, opaque, errorArgs, gen };
    const groups: PNode[][] = [[]];
    for (const c of argList.children) {
      if (c.type === '(' || c.type === ')') continue;
      if (c.type === ',') groups.push([]);
      else groups[groups.length - 1].push(c);
    }
    for (const g of groups) {
      if (g.length === 0) continue;
      const argRange = { start: g[0].from, end: g[g.length - 1].to };
      if (g[0].type === '*' || g[0].type === '**') {
        const v = g[1] ? this.safeEval(g[1], frame) : undefined;
        if (g[0].type === '*' && v && isSeq(v)) {
          pos.push(...v.items);
          continue;
        }
        if (g[0].type === '**' && v && v.k === 'dict') {
          for (const [k, e] of v.entries) {
            kw.set(k, { value: e.value, nameRange: e.keyRange, argRange });
            kwOrder.push({ name: k, nameRange: e.keyRange, argRange });
          }
          if (!v.complete) opaque = true;
          continue;
        }
        opaque = true;
        continue;
      }
      const assignIdx = g.findIndex((c) => c.type === 'AssignOp');
      if (assignIdx === 1 && g[0].type === 'VariableName') {
        const name = this.src(g[0]);
        const valueNodes = g.slice(2).filter((c) => c.type !== '⚠' || c.children.length > 0);
        const valueNode = valueNodes.length === 1 ? valueNodes[0] : undefined;
        let value: Value;
        if (!valueNode || g.slice(2).some((c) => c.type === '⚠')) {
          value = valueNode && !valueNode.error ? this.safeEval(valueNode, frame) : unknown(argRange, 'a syntax error');
          if (g.slice(2).some((c) => c.type === '⚠') || !valueNode) {
            value = valueNode && !valueNode.error && valueNodes.length === 1 && g.length === 3 ? value : unknown(argRange, 'a syntax error');
          }
        } else value = this.safeEval(valueNode, frame);
        const nameRange = r(g[0]);
        if (kw.has(name)) kwOrder.push({ name, nameRange, argRange });
        else kwOrder.push({ name, nameRange, argRange });
        kw.set(name, { value, nameRange, argRange });
        continue;
      }
      if (g.length > 1 && g[0].type !== 'for' && g.some((c) => c.type === 'for') && !g.some((c) => c.type === '⚠')) {
        // A bare generator argument, `tuple(i for i in x)`: Python allows it only as the sole argument.
        if (groups.filter((x) => x.length > 0).length !== 1) {
          errorArgs++;
          continue;
        }
        // The function receives a generator object: only builtins that iterate it (see callBuiltin)
        // use its items; anything else sees an unknown value.
        try {
          gen = this.evalComprehensionParts(g, argRange, frame, 'tuple');
        } catch (e) {
          if (e instanceof Budget || e instanceof ReturnSignal || e instanceof LoopControl) throw e;
          gen = unknown(argRange, 'a generator that could not be evaluated');
        }
        pos.push(unknown(argRange, 'a generator'));
        posNodes.push(g[0]);
        continue;
      }
      if (g.some((c) => c.type === '⚠') || g.length !== 1 || kwOrder.length > 0) {
        // Broken, or a positional argument after a keyword one (a SyntaxError in Python; also what an
        // unclosed bracket makes of the next stage): not an argument we can trust.
        errorArgs++;
        continue;
      }
      if (g[0].type === 'for') {
        opaque = true;
        continue;
      }
      pos.push(this.safeEval(g[0], frame));
      posNodes.push(g[0]);
    }
    return { pos, posNodes, kw, kwOrder, opaque, errorArgs, gen };
  }

  private evalCall(n: PNode, frame: Frame): Value {
    const R = r(n);
    const calleeNode = n.children[0];
    const argList = n.children.find((c) => c.type === 'ArgList');
    if (!calleeNode) return unknown(R, 'a call');
    if (this.isConfigCallee(calleeNode)) {
      const local = calleeNode.type === 'VariableName' ? this.lookup(this.src(calleeNode), frame) : undefined;
      if (!local || (local.k === 'ref' && local.path[local.path.length - 1] === CONFIG_CLASS)) {
        return this.callConfig(n, frame, this.src(calleeNode));
      }
    }
    let callee: Value;
    const dotProp = calleeNode.type === 'MemberExpression' && calleeNode.children[1]?.type === '.' ? calleeNode.children.find((c) => c.type === 'PropertyName') : undefined;
    if (dotProp) {
      // obj.method(...): the receiver is evaluated once (it may contain calls).
      const o = this.eval(calleeNode.children[0], frame);
      if (o.k !== 'ref') return this.callMethod(o, calleeNode.children[0], this.src(dotProp), argList, frame, R);
      callee = { k: 'ref', path: [...o.path, this.src(dotProp)], r: r(calleeNode) };
    } else callee = this.eval(calleeNode, frame);
    if (callee.k === 'ref') {
      const path = callee.path;
      const last = path[path.length - 1];
      if (last === CONFIG_CLASS) return this.callConfig(n, frame, this.src(calleeNode));
      return callModuleFunction(path, this.evalArgs(argList, frame), R);
    }
    if (callee.k === 'builtin') {
      if (callee.name === 'dict') return this.callDict(n, argList, frame);
      return callBuiltin(callee.name, this.evalArgs(argList, frame), R);
    }
    if (callee.k === 'func') {
      const f = this.funcs[callee.id];
      return this.callFunction(f, this.evalArgs(argList, frame), frame, R);
    }
    // Unknown callee: still evaluate the arguments for the configs/dicts they build.
    this.evalArgs(argList, frame);
    return unknown(R, `a call of ${this.src(calleeNode)}`);
  }

  /** o.m(...) on a value that is not a module reference. */
  private callMethod(o: Value, objNode: PNode, m: string, argList: PNode | undefined, frame: Frame, R: Range): Value {
    const args = this.evalArgs(argList, frame);
    if ((o.k === 'list' || o.k === 'dict') && MUTATORS.has(m)) {
      const res = this.frozen || args.opaque || args.errorArgs > 0 ? undefined : mutate(o, m, args, R);
      if (res) return res;
      const why = `${this.src(objNode)}.${m}(...) could not be followed`;
      if (this.frozen) {
        if (objNode.type === 'VariableName' && frame.locals) frame.locals.set(this.src(objNode), unknown(o.r, why));
      } else if (o.k === 'dict' && m === 'update' && !args.opaque && args.errorArgs === 0 && args.pos.length === 1 && args.pos[0].k !== 'dict') {
        // d.update(something unknown): the keys given by name are still known; the dict is incomplete.
        for (const [k, v] of args.kw) o.entries.set(k, { value: v.value, keyRange: v.nameRange, itemRange: v.argRange });
        if (objNode.type === 'VariableName') this.bind(this.src(objNode), { ...o, complete: false }, frame);
        else this.poison(o, why);
      } else this.poison(o, why);
      return unknown(R, why);
    }
    const res = callReadingMethod(o, m, args, R, (v) => this.live(v));
    if (res) return res;
    return unknown(R, `a call of ${this.src(objNode)}.${m}`);
  }

  private callDict(n: PNode, argList: PNode | undefined, frame: Frame): Value {
    const args = this.evalArgs(argList, frame);
    const entries = new Map<string, DictEntry>();
    let complete = !args.opaque && args.errorArgs === 0 && !n.error;
    if (args.pos.length === 1) {
      const src = args.pos[0];
      if (src.k === 'dict') {
        for (const [k, v] of src.entries) entries.set(k, v);
        complete = complete && src.complete;
      } else complete = false;
    } else if (args.pos.length > 1) complete = false;
    for (const [k, v] of args.kw) entries.set(k, { value: v.value, keyRange: v.nameRange, itemRange: v.argRange });
    const d: DictValue = { k: 'dict', entries, complete, r: r(n), node: r(n) };
    this.dicts.push(d);
    return d;
  }

  private callFunction(f: FuncDef, args: CallArgs, frame: Frame, R: Range): Value {
    if (frame.depth >= MAX_DEPTH) return unknown(R, 'recursion too deep to follow');
    if (!f.body) return unknown(R, `a call of ${f.name}`);
    if (args.opaque || args.errorArgs > 0) return unknown(R, `a call of ${f.name} with arguments that cannot be known`);
    const locals = new Map<string, Value>();
    let pi = 0;
    for (const p of f.params) {
      if (p.kind === 'star') {
        locals.set(p.name, { k: 'tuple', items: args.pos.slice(pi), r: R });
        pi = args.pos.length;
        continue;
      }
      if (p.kind === 'kw') {
        const entries = new Map<string, DictEntry>();
        for (const [k, v] of args.kw) {
          if (!f.params.some((q) => q.name === k && q.kind === 'plain')) entries.set(k, { value: v.value, keyRange: v.nameRange, itemRange: v.argRange });
        }
        locals.set(p.name, { k: 'dict', entries, complete: true, r: R, node: R });
        continue;
      }
      if (args.kw.has(p.name)) locals.set(p.name, args.kw.get(p.name)!.value);
      else if (pi < args.pos.length) locals.set(p.name, args.pos[pi++]);
      else if (p.defValue) locals.set(p.name, p.defValue);
      else return unknown(R, `${f.name}() is missing argument '${p.name}'`);
    }
    const inner: Frame = { locals, depth: frame.depth + 1 };
    try {
      this.execBody(f.body, inner);
    } catch (e) {
      if (e instanceof ReturnSignal) {
        const v = e.value;
        return v.k === 'unknown' ? v : { ...v, r: R };
      }
      if (e instanceof LoopControl) return unknown(R, `a call of ${f.name}`);
      throw e;
    }
    return { k: 'none', r: R };
  }

  private callConfig(n: PNode, frame: Frame, calledAs: string): ConfigValue {
    const argList = n.children.find((c) => c.type === 'ArgList');
    const args = this.evalArgs(argList, frame);
    const calleeNode = n.children[0];
    const cfg: ConfigValue = {
      k: 'config',
      id: this.nextConfigId++,
      r: r(n),
      callee: r(calleeNode),
      call: r(n),
      argList: argList ? r(argList) : { start: n.to, end: n.to },
      ...bindConfigArgs(args),
      opaque: args.opaque,
      broken: n.error,
      calledAs,
    };
    this.configs.push(cfg);
    return cfg;
  }

  private evalMember(n: PNode, frame: Frame): Value {
    const R = r(n);
    const obj = n.children[0];
    if (!obj) return unknown(R, 'an attribute');
    const prop = n.children.find((c) => c.type === 'PropertyName');
    if (prop && n.children[1]?.type === '.') {
      const o = this.eval(obj, frame);
      const name = this.src(prop);
      if (o.k === 'ref') return { k: 'ref', path: [...o.path, name], r: R };
      if (o.k === 'config') {
        const a = o.args.get(name);
        if (a) return this.live(a.value);
        const d = configFieldDefault(name, R);
        if (d) return d;
      }
      return unknown(R, `attribute .${name}`);
    }
    // Subscript or slice.
    const o = this.eval(obj, frame);
    const inside = n.children.slice(1).filter((c) => c.type !== '[' && c.type !== ']');
    const isSlice = inside.some((c) => c.type === ':');
    if (isSlice) {
      if (!isSeq(o) && o.k !== 'str') return unknown(R, 'a slice of a value that cannot be known');
      const parts: (PNode | undefined)[] = [undefined, undefined, undefined];
      let pi = 0;
      for (const c of inside) {
        if (c.type === ':') pi++;
        else parts[pi] = c;
      }
      const num = (p: PNode | undefined): number | undefined | null => {
        if (!p) return undefined;
        const v = this.eval(p, frame);
        return v.k === 'int' ? v.v : null;
      };
      const [a, b, s] = parts.map(num);
      if (a === null || b === null || s === null) return unknown(R, 'a slice with bounds that cannot be known');
      return sliceValue(o, a, b, s, R);
    }
    const idxNode = inside[0];
    if (!idxNode) return unknown(R, 'an empty subscript');
    const idx = this.eval(idxNode, frame);
    return subscriptValue(o, idx, R, (v) => this.live(v));
  }
}

class LoopControl {
  constructor(readonly kind: 'break' | 'continue') {}
}

/** Evaluate the config calls found in the source that evaluation did not reach. */
export function evaluateWithOrphans(mod: ParsedModule): EvalResult & { orphans: ConfigValue[] } {
  const ev = new Evaluator(mod);
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

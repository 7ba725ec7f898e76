/**
 * The expression walk of the evaluator: literals, names, containers, comprehensions, f-strings,
 * operators, attribute access and subscripts, and calls — of MixVarGENetConfig (a ConfigValue the
 * rules check), of builtins and library functions (builtins.ts), of methods (methods.ts) and of the
 * file's own functions (run by the statement walk through execBody). Python's semantics of the
 * values themselves live in numbers.ts, strings.ts and operators.ts.
 */
import type { Range } from '../text';
import { BudgetExceeded, CALL_UNITS, ENTRY_BYTES, RECORD_UNITS, SLOT_BYTES, VALUE_BYTES } from './budget';
import { BUILTIN_NAMES, callBuiltin, callModuleFunction } from './builtins';
import { bindConfigArgs, CONFIG_CLASS, configFieldDefault } from './configCall';
import { EvalState, type Frame, type FuncDef, LoopControl, MAX_DEPTH, ReturnSignal } from './evalState';
import { callReadingMethod, mutate, MUTATORS } from './methods';
import { parseNumber } from './numbers';
import { binop, iterItems, sliceValue, subscriptValue, truthy, unaryOp } from './operators';
import { namedChildren, nodeRange, type PNode } from './parse';
import { decodeFStringText, decodeStringLiteral, pyStr } from './strings';
import { type CallArgs, type ConfigValue, type DictEntry, type DictValue, intValue, isSeq, MAX_SEQ, MAX_STR, rangeItem, rangeLen, unknown, type Value } from './values';

/** Whether Python can hash a value (undefined-safe: an unknown may be hashable). */
function hashable(v: Value): boolean {
  if (v.k === 'list' || v.k === 'dict') return false;
  return v.k !== 'tuple' || v.items.every(hashable);
}

/** Python's comparison operators: written one after another they chain. */
const COMPARISONS = new Set(['==', '!=', '<', '<=', '>', '>=', 'in', 'not in', 'is', 'is not']);

/** Estimated bytes of one MixVarGENetConfig call's record (its argument map and ranges). */
const CONFIG_BYTES = 2048;

export abstract class ExpressionEvaluator extends EvalState {
  /** Run a function body (the statement walk); `return` throws a ReturnSignal. */
  protected abstract execBody(body: PNode, frame: Frame, inLoop?: boolean): void;

  protected safeEval(n: PNode, frame: Frame): Value {
    try {
      return this.eval(n, frame);
    } catch (e) {
      if (e instanceof BudgetExceeded || e instanceof ReturnSignal || e instanceof LoopControl) throw e;
      return unknown(nodeRange(n), e instanceof RangeError ? 'too deeply nested to follow' : 'could not be evaluated');
    }
  }

  eval(n: PNode, frame: Frame): Value {
    this.tick();
    const outer = this.at;
    this.at = n;
    const v = this.evalNode(n, frame);
    this.at = outer;
    return v;
  }

  private evalNode(n: PNode, frame: Frame): Value {
    const R = nodeRange(n);
    switch (n.type) {
      case 'Number': {
        const p = parseNumber(this.src(n));
        if (p?.k === 'int') return intValue(p.v, R, true);
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
          this.meter.chars(acc.length + v.v.length);
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
      case 'VariableName':
        return this.evalName(n, frame);
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
        const operand = this.unaryOperand(n);
        if (!operand) return unknown(R, 'missing operand');
        if (op === 'not') {
          // The parser reads `not a or b` as `not (a or b)`; Python's `not` binds tighter than
          // and/or: (not a) or b. The nots apply to the leftmost operand of an and/or chain.
          let nots = 1;
          let inner: PNode | undefined = operand;
          while (inner && inner.type === 'UnaryExpression' && this.src(inner.children[0]) === 'not') {
            nots++;
            inner = this.unaryOperand(inner);
          }
          if (!inner) return unknown(R, 'missing operand');
          const logic = inner.type === 'BinaryExpression' ? this.binaryParts(inner) : undefined;
          if (logic && (logic.op === 'and' || logic.op === 'or')) return this.evalLogic(inner, frame, nots, R);
          // not not … x: x once, negated as many times (a long chain is not walked again at each level).
          let v = this.eval(inner, frame);
          for (let i = 0; i < nots; i++) v = unaryOp('not', v, R, false);
          return v;
        }
        const v = this.eval(operand, frame);
        return unaryOp(op, v, R, !!v.literal && v.r.start === operand.from);
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

  /** A name: the file's binding (with where it was defined), else a builtin or the config class. */
  protected evalName(n: PNode, frame: Frame): Value {
    const R = nodeRange(n);
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

  protected evalFString(n: PNode, frame: Frame): Value {
    const raw = this.src(n);
    const m = /^([rRfFbBuU]*)('''|"""|'|")/.exec(raw);
    if (!m) return unknown(nodeRange(n), 'an f-string');
    const quoteLen = m[0].length;
    let pos = n.from + quoteLen;
    let out = '';
    const end = n.to - m[2].length;
    const isRaw = m[1].toLowerCase().includes('r');
    // The text between fields, with {{ }} and (unless raw) backslash escapes decoded; a single { or } there is a SyntaxError.
    const literal = (from: number, to: number): string | undefined => {
      const t = this.text.slice(from, to);
      return /[{}]/.test(t.replace(/\{\{|\}\}/g, '')) ? undefined : decodeFStringText(t, isRaw);
    };
    for (const c of n.children) {
      if (c.type !== 'FormatReplacement') continue;
      const lit = literal(pos, c.from);
      if (lit === undefined) return unknown(nodeRange(n), 'an f-string with a \\N{...} escape or a single brace');
      out += lit;
      if (c.children.some((k) => k.type === 'FormatSpec' || k.type === 'FormatConversion' || k.type === 'FormatSelfDoc')) {
        return unknown(nodeRange(n), 'an f-string with a format spec');
      }
      const expr = namedChildren(c)[0];
      if (!expr) return unknown(nodeRange(n), 'an empty f-string field');
      const v = this.eval(expr, frame);
      const s = pyStr(v);
      if (s === undefined) return unknown(nodeRange(n), 'an f-string of a value that cannot be known');
      if (out.length + s.length > MAX_STR) return unknown(nodeRange(n), 'a str too long to follow');
      this.meter.chars(out.length + s.length);
      out += s;
      pos = c.to;
    }
    const tail = literal(pos, Math.max(pos, end));
    if (tail === undefined) return unknown(nodeRange(n), 'an f-string with a \\N{...} escape or a single brace');
    out += tail;
    return { k: 'str', v: out, r: nodeRange(n) };
  }

  protected evalSeq(n: PNode, kind: 'list' | 'tuple', frame: Frame): Value {
    const items: Value[] = [];
    const kids = n.children;
    for (let i = 0; i < kids.length; i++) {
      const c = kids[i];
      if (!/^[A-Z⚠]/.test(c.type)) {
        if (c.type === '*') {
          const next = kids[i + 1];
          if (!next) break;
          const add = iterItems(this.eval(next, frame), this.meter);
          if (!add || items.length + add.length > MAX_SEQ) return unknown(nodeRange(n), 'a starred item that cannot be known');
          for (const x of add) items.push(x);
          i++;
        }
        continue;
      }
      if (c.type === '⚠') continue;
      items.push(this.safeEval(c, frame));
      this.meter.charge(0, SLOT_BYTES + VALUE_BYTES);
    }
    return { k: kind, items, r: nodeRange(n) };
  }

  protected evalComprehension(n: PNode, frame: Frame, kind: 'list' | 'tuple'): Value {
    // [elt for t in it (if c)* (for t2 in it2 (if c2)*)*]
    const kids = n.children.filter((c) => c.type !== '[' && c.type !== ']' && c.type !== '(' && c.type !== ')');
    return this.evalComprehensionParts(kids, nodeRange(n), frame, kind);
  }

  /** A comprehension given as its parts: elt, `for`, targets, `in`, iterable, (`if`, cond)*, … */
  protected evalComprehensionParts(kids: PNode[], R: Range, frame: Frame, kind: 'list' | 'tuple'): Value {
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
        this.meter.charge(1, SLOT_BYTES + VALUE_BYTES);
        return items.length <= MAX_SEQ;
      }
      const cl = clauses[ci];
      const it = this.eval(cl.iter, inner);
      // A range is iterated as it is, never built; a list or tuple item by item (as Python does, by index).
      const n = it.k === 'range' ? rangeLen(it.start, it.stop, it.step) : isSeq(it) ? -1 : 0;
      const seq = n === 0 ? iterItems(it, this.meter) : undefined;
      if (n === 0 && !seq) return false;
      const count = () => (it.k === 'range' ? n : isSeq(it) ? it.items.length : seq!.length);
      for (let j = 0; j < count(); j++) {
        const item: Value = it.k === 'range' ? { k: 'int', v: rangeItem(it, j), r: it.r } : isSeq(it) ? it.items[j] : seq![j];
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

  protected evalDictLiteral(n: PNode, frame: Frame): Value {
    const entries = new Map<string, DictEntry>();
    let complete = true;
    const kids = n.children;
    if (kids.some((c) => c.type === 'for')) return unknown(nodeRange(n), 'a dict comprehension');
    for (let i = 0; i < kids.length; i++) {
      const c = kids[i];
      if (c.type === '**') {
        const src = kids[i + 1] ? this.safeEval(kids[i + 1], frame) : undefined;
        if (src?.k === 'dict') {
          this.meter.charge(1 + src.entries.size / 4, src.entries.size * ENTRY_BYTES);
          for (const [k, v] of src.entries) entries.set(k, v);
          complete = complete && src.complete;
        } else complete = false;
        i++;
        continue;
      }
      if (!/^[A-Z]/.test(c.type)) continue;
      if (kids[i + 1]?.type === ':' && kids[i + 2]) {
        const key = this.safeEval(c, frame);
        // A list, dict or a tuple holding one is not hashable: Python raises.
        if (!hashable(key)) return unknown(nodeRange(n), 'a dict with a key that is not hashable');
        const valueNode = kids[i + 2];
        const value = this.safeEval(valueNode, frame);
        this.meter.charge(0, ENTRY_BYTES);
        if (key.k === 'str') entries.set(key.v, { value, keyRange: nodeRange(c), itemRange: { start: c.from, end: valueNode.to } });
        else complete = false;
        i += 2;
      } else complete = false;
    }
    const d: DictValue = { k: 'dict', entries, complete: complete && !n.error, r: nodeRange(n), node: nodeRange(n) };
    this.dicts.push(d);
    return d;
  }

  private unaryOperand(n: PNode): PNode | undefined {
    return namedChildren(n).filter((c) => c !== n.children[0]).pop() ?? n.children[1];
  }

  /** An and/or chain whose leftmost operand is negated `nots` times (see UnaryExpression). */
  private evalLogic(n: PNode, frame: Frame, nots: number, R: Range): Value {
    const parts = n.type === 'BinaryExpression' ? this.binaryParts(n) : undefined;
    if (!parts || (parts.op !== 'and' && parts.op !== 'or')) {
      let v = this.eval(n, frame);
      for (let i = 0; i < nots; i++) v = unaryOp('not', v, R, false);
      return v;
    }
    const a = this.evalLogic(parts.left, frame, nots, R);
    const t = truthy(a);
    if (t === undefined) return unknown(R, `${parts.op} of a value that cannot be known`);
    if (parts.op === 'and') return t ? this.eval(parts.right, frame) : a;
    return t ? a : this.eval(parts.right, frame);
  }

  /** The operands and operator of a binary expression node, or undefined when it is incomplete. */
  private binaryParts(n: PNode): { left: PNode; op: string; right: PNode } | undefined {
    const named = n.children.filter((c) => /^[A-Z⚠]/.test(c.type) && c.type !== 'ArithOp' && c.type !== 'BitOp' && c.type !== 'CompareOp');
    const left = named[0];
    const right = named[named.length - 1];
    if (!left || !right || left === right) return undefined;
    return { left, op: this.text.slice(left.to, right.from).trim().replace(/\s+/g, ' '), right };
  }

  protected evalBinary(n: PNode, frame: Frame): Value {
    const parts = this.binaryParts(n);
    if (!parts) return unknown(nodeRange(n), 'an incomplete expression');
    const { left, op, right } = parts;
    if (COMPARISONS.has(op) && left.type === 'BinaryExpression' && COMPARISONS.has(this.binaryParts(left)?.op ?? '')) {
      // a < b < c is (a < b) and (b < c), b evaluated once (the parser nests it as (a < b) < c).
      const operands: PNode[] = [right];
      const ops: string[] = [op];
      let l: PNode = left;
      for (let p = this.binaryParts(l); p && l.type === 'BinaryExpression' && COMPARISONS.has(p.op); p = this.binaryParts(l)) {
        operands.unshift(p.right);
        ops.unshift(p.op);
        l = p.left;
      }
      operands.unshift(l);
      let cur = this.eval(operands[0], frame);
      let res: Value = unknown(nodeRange(n), 'a comparison');
      for (let i = 0; i < ops.length; i++) {
        const next = this.eval(operands[i + 1], frame);
        res = binop(ops[i], cur, next, nodeRange(n), this.meter);
        const t = truthy(res);
        if (t === undefined) return unknown(nodeRange(n), 'a comparison that cannot be known');
        if (!t) return res;
        cur = next;
      }
      return res;
    }
    if (op === 'and' || op === 'or') {
      const a = this.eval(left, frame);
      const t = truthy(a);
      if (t === undefined) return unknown(nodeRange(n), `${op} of a value that cannot be known`);
      if (op === 'and') return t ? this.eval(right, frame) : a;
      return t ? a : this.eval(right, frame);
    }
    return binop(op, this.eval(left, frame), this.eval(right, frame), nodeRange(n), this.meter);
  }

  protected evalArgs(argList: PNode | undefined, frame: Frame): CallArgs {
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
        const spread = g[0].type === '*' ? iterItems(v, this.meter) : undefined;
        if (spread && pos.length + spread.length <= MAX_SEQ) {
          for (const x of spread) pos.push(x);
          continue;
        }
        if (g[0].type === '**' && v && v.k === 'dict') {
          this.meter.charge(1 + v.entries.size / 4, v.entries.size * ENTRY_BYTES);
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
        const nameRange = nodeRange(g[0]);
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
          if (e instanceof BudgetExceeded || e instanceof ReturnSignal || e instanceof LoopControl) throw e;
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

  protected evalCall(n: PNode, frame: Frame): Value {
    const R = nodeRange(n);
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
      callee = { k: 'ref', path: [...o.path, this.src(dotProp)], r: nodeRange(calleeNode) };
    } else callee = this.eval(calleeNode, frame);
    if (callee.k === 'ref') {
      const path = callee.path;
      const last = path[path.length - 1];
      if (last === CONFIG_CLASS) return this.callConfig(n, frame, this.src(calleeNode));
      return callModuleFunction(path, this.evalArgs(argList, frame), R, this.meter);
    }
    if (callee.k === 'builtin') {
      if (callee.name === 'dict') return this.callDict(n, argList, frame);
      return callBuiltin(callee.name, this.evalArgs(argList, frame), R, this.meter);
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
  protected callMethod(o: Value, objNode: PNode, m: string, argList: PNode | undefined, frame: Frame, R: Range): Value {
    const args = this.evalArgs(argList, frame);
    if ((o.k === 'list' || o.k === 'dict') && MUTATORS.has(m)) {
      const res = this.frozen || args.opaque || args.errorArgs > 0 ? undefined : mutate(o, m, args, R, this.meter);
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
    const res = callReadingMethod(o, m, args, R, (v) => this.live(v), this.meter);
    if (res) return res;
    return unknown(R, `a call of ${this.src(objNode)}.${m}`);
  }

  protected callDict(n: PNode, argList: PNode | undefined, frame: Frame): Value {
    const args = this.evalArgs(argList, frame);
    const entries = new Map<string, DictEntry>();
    let complete = !args.opaque && args.errorArgs === 0 && !n.error;
    if (args.pos.length === 1) {
      const src = args.pos[0];
      if (src.k === 'dict') {
        this.meter.charge(1 + src.entries.size / 4, src.entries.size * ENTRY_BYTES);
        for (const [k, v] of src.entries) entries.set(k, v);
        complete = complete && src.complete;
      } else complete = false;
    } else if (args.pos.length > 1) complete = false;
    this.meter.charge(args.kw.size * RECORD_UNITS, args.kw.size * ENTRY_BYTES);
    for (const [k, v] of args.kw) entries.set(k, { value: v.value, keyRange: v.nameRange, itemRange: v.argRange });
    const d: DictValue = { k: 'dict', entries, complete, r: nodeRange(n), node: nodeRange(n) };
    this.dicts.push(d);
    return d;
  }

  protected callFunction(f: FuncDef, args: CallArgs, frame: Frame, R: Range): Value {
    if (frame.depth >= MAX_DEPTH) return unknown(R, 'recursion too deep to follow');
    this.meter.charge(CALL_UNITS);
    if (!f.body) return unknown(R, `a call of ${f.name}`);
    if (args.opaque || args.errorArgs > 0) return unknown(R, `a call of ${f.name} with arguments that cannot be known`);
    const locals = new Map<string, Value>();
    let pi = 0;
    for (const p of f.params) {
      if (p.kind === 'star') {
        this.meter.slots(args.pos.length - pi);
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

  protected callConfig(n: PNode, frame: Frame, calledAs: string): ConfigValue {
    const argList = n.children.find((c) => c.type === 'ArgList');
    const args = this.evalArgs(argList, frame);
    this.meter.charge(CALL_UNITS + args.kw.size * RECORD_UNITS, CONFIG_BYTES);
    const calleeNode = n.children[0];
    const cfg: ConfigValue = {
      k: 'config',
      id: this.nextConfigId++,
      r: nodeRange(n),
      callee: nodeRange(calleeNode),
      call: nodeRange(n),
      argList: argList ? nodeRange(argList) : { start: n.to, end: n.to },
      ...bindConfigArgs(args),
      opaque: args.opaque,
      broken: n.error,
      calledAs,
    };
    this.configs.push(cfg);
    return cfg;
  }

  protected evalMember(n: PNode, frame: Frame): Value {
    const R = nodeRange(n);
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
      if (!isSeq(o) && o.k !== 'str' && o.k !== 'range') return unknown(R, 'a slice of a value that cannot be known');
      const parts: (PNode | undefined)[] = [undefined, undefined, undefined];
      let pi = 0;
      for (const c of inside) {
        if (c.type === ':') pi++;
        else parts[pi] = c;
      }
      const num = (p: PNode | undefined): number | undefined | null => {
        if (!p) return undefined;
        const v = this.eval(p, frame);
        return v.k === 'int' ? v.v : v.k === 'bool' ? Number(v.v) : v.k === 'none' ? undefined : null;
      };
      const [a, b, s] = parts.map(num);
      if (a === null || b === null || s === null) return unknown(R, 'a slice with bounds that cannot be known');
      return sliceValue(o, a, b, s, R, this.meter);
    }
    const idxNode = inside[0];
    if (!idxNode) return unknown(R, 'an empty subscript');
    const idx = this.eval(idxNode, frame);
    return subscriptValue(o, idx, R, (v) => this.live(v));
  }
}

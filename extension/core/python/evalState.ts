/**
 * The state one evaluation of a module carries, shared by the expression walk (expressions.ts) and
 * the statement walk (evaluate.ts): the module's names and the functions it defines, the records
 * the rules read (config calls, dicts, assignments, the names of the MixVarGENetConfig class), the
 * meter of the analysis' budgets (budget.ts), and the frames and control-flow signals of the walk.
 * Names are bound and looked up here; values are read through the alias tracker (aliases.ts).
 */
import type { Range } from '../text';
import { AliasTracker } from './aliases';
import { Meter } from './budget';
import { CONFIG_CLASS } from './configCall';
import { namedChildren, nodeRange, nodeText, type PNode, type ParsedModule } from './parse';
import { type ConfigValue, type DictValue, isSeq, unknown, type Value } from './values';

/** Deepest nesting of calls of the file's own functions that is followed. */
export const MAX_DEPTH = 32;

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

/** Thrown by `return`, caught by the call. */
export class ReturnSignal {
  constructor(readonly value: Value) {}
}

/** Thrown by `break` and `continue`, caught by the loop. */
export class LoopControl {
  constructor(readonly kind: 'break' | 'continue') {}
}

export interface Frame {
  /** The function's local names; null at module level. */
  locals: Map<string, Value> | null;
  depth: number;
}

/** A function the file defines (`def`). */
export interface FuncDef {
  name: string;
  node: PNode;
  /** Default values are evaluated when `def` runs, as Python does. */
  params: { name: string; kind: 'plain' | 'star' | 'kw'; def?: PNode; defValue?: Value }[];
  body: PNode | undefined;
}

export abstract class EvalState {
  protected readonly text: string;
  /** Module-level names. */
  protected readonly env = new Map<string, Value>();
  /** The file's functions, by the id in their `func` value. */
  protected readonly funcs: FuncDef[] = [];
  protected readonly configs: ConfigValue[] = [];
  protected readonly dicts: DictValue[] = [];
  protected readonly assignments: Assignment[] = [];
  /** Names (and dotted paths) that refer to the MixVarGENetConfig class. */
  protected readonly configNames = new Set<string>();
  protected nextConfigId = 1;
  /** The innermost expression being evaluated (left in place when an exception leaves it: where a budget ran out). */
  protected at: PNode | undefined;
  /** Lists and dicts changed in a way that is not followed. */
  protected readonly aliases = new AliasTracker();
  /** Set while evaluating orphan config calls: nothing may change the module's values then. */
  protected frozen = false;

  constructor(
    protected readonly mod: ParsedModule,
    protected readonly meter: Meter = new Meter(),
  ) {
    this.text = mod.text;
  }

  protected src(n: PNode): string {
    return nodeText(this.text, n);
  }

  /** One unit of work: every expression and statement evaluated. */
  protected tick(): void {
    this.meter.charge(1);
  }

  protected isConfigCallee(n: PNode): boolean {
    const t = this.src(n).replace(/\s+/g, '');
    if (this.configNames.has(t)) return true;
    return n.type === 'MemberExpression' && t.endsWith('.' + CONFIG_CLASS);
  }

  /** A name's current value: the frame's local, else the module's. */
  protected lookup(name: string, frame: Frame): Value | undefined {
    const v = frame.locals && frame.locals.has(name) ? frame.locals.get(name) : this.env.get(name);
    return v && this.live(v);
  }

  /** v, or unknown when v is a list/dict that was changed in a way that is not followed. */
  protected live(v: Value): Value {
    return this.aliases.live(v);
  }

  /** Mark a list/dict (every name and container holding it) as changed in a way that is not followed. */
  protected poison(v: Value | undefined, why: string): void {
    if (this.frozen) return;
    this.aliases.poison(v, why);
  }

  /** Bind a name in the frame; at module level also record the assignment when it comes from a statement. */
  protected bind(name: string, value: Value, frame: Frame, stmt?: PNode, target?: PNode, expr?: PNode): void {
    if (frame.locals) {
      frame.locals.set(name, value);
      return;
    }
    this.env.set(name, value);
    if (this.configNames.has(name) && !(value.k === 'ref' && value.path[value.path.length - 1] === CONFIG_CLASS)) {
      this.configNames.delete(name);
    }
    if (stmt && target) {
      this.assignments.push({ name, value, stmt: nodeRange(stmt), target: nodeRange(target), expr: expr ? nodeRange(expr) : nodeRange(stmt) });
    }
  }

  /** Bind a loop's (or comprehension's) target names to one item, unpacking tuples. */
  protected assignLoopTargets(targets: PNode[], item: Value, frame: Frame): void {
    const flat = targets.length === 1 && targets[0].type === 'TupleExpression' ? namedChildren(targets[0]) : targets;
    if (flat.length === 1) {
      if (flat[0].type === 'VariableName') this.bind(this.src(flat[0]), item, frame);
      return;
    }
    const seq = isSeq(item) && item.items.length === flat.length ? item.items : undefined;
    flat.forEach((t, i) => {
      if (t.type === 'VariableName') this.bind(this.src(t), seq ? seq[i] : unknown(nodeRange(t), 'unpacked from an unknown value'), frame);
    });
  }
}

/**
 * The budgets one analysis runs under, so that no file — however hostile — makes it run unbounded:
 *
 * - work: one unit per expression or statement evaluated (more for a call of the file's own
 *   functions), plus units in proportion to the size of every value built, copied, searched or
 *   sorted (a range of n ints, a list repetition, a sorted copy, a string of n characters, a deep
 *   copy, …), charged BEFORE the work is done;
 * - memory: an estimate of the bytes held by the values built (list slots, the values put in them,
 *   dict entries, string characters). It adds up everything built, so it is never less than what is
 *   held at any moment (garbage included);
 * - time: a wall-clock deadline from the start of the analysis, looked at every few thousand units
 *   of work and while parsing (the backstop for what the two estimates miss).
 *
 * When one runs out, `charge` throws `BudgetExceeded`: the evaluator stops at the statement it is in
 * and everything from there on is unknown (evaluate.ts), and rule MVG017 says so at that statement.
 * A value too large to build on its own (a list over MAX_SEQ items, a str over MAX_STR characters)
 * does not stop the analysis: it is unknown, with its length when that is known.
 */

import type { Range } from '../text';

export type BudgetKind = 'work' | 'memory' | 'time';

/** Where and why an analysis stopped before the end of the file (rule MVG017 reports it). */
export interface AnalysisStop {
  /** The budget that ran out; 'size': the network is too large to model. */
  kind: BudgetKind | 'size';
  /** The top-level statement it stopped in (or the first line of the text that was not parsed). */
  range: Range;
  /** The expression being evaluated when it stopped, when that is inside the statement. */
  inner?: Range;
  /** What ran out, in a few words (budgetText). */
  why: string;
  /** Which phase stopped: values from here on are unknown ('evaluate'), the rest of the text is not read ('parse'), no network ('model'). */
  phase: 'parse' | 'evaluate' | 'model';
}

export interface Limits {
  /** Units of work (see above). */
  work: number;
  /** Estimated bytes of the values built. */
  memory: number;
  /** Milliseconds from the start of the analysis. */
  timeMs: number;
}

/**
 * The defaults. A unit of work is about what evaluating one expression costs (0.2–0.5 µs on a 2-core
 * machine): the whole work budget takes a third of a second or so. The seed config uses about
 * 2,000 units, a config 100 times its size 1/5 of the budget. 64 MB of estimated values keeps the
 * analysis worker's heap well under 256 MB.
 */
export const DEFAULT_LIMITS: Readonly<Limits> = { work: 1_000_000, memory: 64 * 1024 * 1024, timeMs: 1000 };

/** No limits (for pure helpers called outside an analysis, e.g. by tests). */
export const NO_LIMITS: Readonly<Limits> = { work: Infinity, memory: Infinity, timeMs: Infinity };

/** Estimated bytes of one value object (a number, a str header or a container header, with its range). */
export const VALUE_BYTES = 64;
/** Estimated bytes of one slot of a list or tuple (a pointer). */
export const SLOT_BYTES = 8;
/** Estimated bytes of one dict entry (the key, the entry and its ranges). */
export const ENTRY_BYTES = 128;
/** Estimated bytes of one character of a str (two-byte strings). */
export const CHAR_BYTES = 2;
/** Characters copied per unit of work (copying characters is far cheaper than evaluating an expression). */
export const CHARS_PER_UNIT = 64;
/** List slots copied per unit of work. */
export const SLOTS_PER_UNIT = 4;
/** New values (an int of a range, a character of a str) built per unit of work. */
export const VALUES_PER_UNIT = 2;
/** Units of work of a call of the file's own function (a frame, its locals, its return), beyond its statements. */
export const CALL_UNITS = 10;
/** Units of work of a MixVarGENetConfig call or a dict(...) entry (binding arguments, building the record). */
export const RECORD_UNITS = 2;

/** The share of the time limit parsing may use (the rest is left to evaluate what was parsed). */
export const PARSE_SHARE = 0.6;

/** Work units at which the clock is looked at. */
const CLOCK_EVERY = 4096;

/** Thrown when a budget runs out (not an Error: no stack trace is captured, so throwing it is cheap). */
export class BudgetExceeded {
  constructor(readonly kind: BudgetKind) {}
}

/** What one analysis has used of its budgets. */
export class Meter {
  work = 0;
  memory = 0;
  /** The budget that ran out, once one has (every later charge throws again at once). */
  exceeded?: BudgetKind;
  private readonly start: number;
  private readonly deadline: number;
  /** The clock is looked at on the first charge (a slow parse may have used the time already), then every CLOCK_EVERY units. */
  private clockAt = 0;

  constructor(
    readonly limits: Readonly<Limits> = DEFAULT_LIMITS,
    start = performance.now(),
  ) {
    this.start = start;
    this.deadline = start + limits.timeMs;
  }

  /** Charge work units and estimated bytes, before doing the work; throws BudgetExceeded when a budget runs out. */
  charge(work: number, bytes = 0): void {
    if (this.exceeded) throw new BudgetExceeded(this.exceeded);
    this.work += work;
    this.memory += bytes;
    if (this.work > this.limits.work) this.exceed('work');
    if (this.memory > this.limits.memory) this.exceed('memory');
    if (this.work >= this.clockAt) {
      this.clockAt = this.work + CLOCK_EVERY;
      if (this.timeUp()) this.exceed('time');
    }
  }

  /** Charge building a string of n characters. */
  chars(n: number): void {
    this.charge(1 + n / CHARS_PER_UNIT, n * CHAR_BYTES);
  }

  /** Charge building n list/tuple slots holding existing values (a copy, a concatenation, a repetition). */
  slots(n: number): void {
    this.charge(1 + n / SLOTS_PER_UNIT, n * SLOT_BYTES);
  }

  /** Charge building n new values in n new slots (a range materialised, the characters of a str as values). */
  values(n: number): void {
    this.charge(1 + n / VALUES_PER_UNIT, n * (SLOT_BYTES + VALUE_BYTES));
  }

  /** Charge looking at n list slots without building anything (a search, a reversal); `perUnit`: CHARS_PER_UNIT for characters. */
  scan(n: number, perUnit = SLOTS_PER_UNIT): void {
    this.charge(1 + n / perUnit);
  }

  /** Charge sorting n items (n·log2 n comparisons). */
  sort(n: number): void {
    this.charge(1 + (n * Math.ceil(Math.log2(n + 1))) / SLOTS_PER_UNIT);
  }

  /**
   * Whether the deadline has passed (for phases that do not charge work, such as parsing); with
   * `share` < 1, whether that share of the time has: parsing stops at PARSE_SHARE of it, so that
   * the statements parsed by then are still evaluated.
   */
  timeUp(share = 1): boolean {
    if (this.limits.timeMs === Infinity) return false;
    return performance.now() > (share === 1 ? this.deadline : this.start + this.limits.timeMs * share);
  }

  /** Mark the deadline as passed by a phase that checks timeUp() itself, and throw. */
  exceed(kind: BudgetKind): never {
    this.exceeded = kind;
    throw new BudgetExceeded(kind);
  }
}

/** A meter that never runs out: the default of the pure helpers' optional meter argument. */
export const UNMETERED = new Meter(NO_LIMITS);

/** What the user is told about a budget: what ran out, in a few words. */
export function budgetText(kind: BudgetKind, limits: Readonly<Limits> = DEFAULT_LIMITS): string {
  switch (kind) {
    case 'work':
      return `following it takes more than ${limits.work.toLocaleString('en-US')} steps (the work budget)`;
    case 'memory':
      return `its values would hold more than ${Math.round(limits.memory / 2 ** 20)} MB (the memory budget)`;
    case 'time':
      return `the analysis took longer than ${limits.timeMs / 1000} s (the time limit)`;
  }
}

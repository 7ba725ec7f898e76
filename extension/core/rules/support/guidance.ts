/** When the guidance rules speak. */
import type { RuleContext } from '../types';

/** Guidance hints are J5 design notes: shown for J5 and when the target is not known. */
export function j5Guidance(ctx: RuleContext): boolean {
  return ctx.target === 'J5' || ctx.target === 'any';
}

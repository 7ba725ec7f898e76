/** Which configs a rule checks, which stage each one is, and reading their fields. */
import type { RuleContext } from '../types';
import type { BackboneInfo } from '../../extract';
import type { ConfigValue, Value } from '../../python/values';

export interface CheckedConfig {
  cfg: ConfigValue;
  /** Stage index in net_config (stageOf), when the config is a stage. */
  stage?: number;
}

/**
 * How configsToCheck counts a config call that yields several configs (a helper function called
 * once per stage, a config reused by name for two stages):
 * - 'evaluation': each evaluation once: a helper called per stage is checked with each call's
 *   values; a config reused by name is checked once (the value-checking crash rules);
 * - 'stage': every stage, even one that repeats another stage's config, then the calls that no
 *   stage comes from (the silent rules: a finding per stage);
 * - 'call': each call written in the file once, the first stage it builds first (what is the same
 *   in every evaluation: keywords, argument counts).
 */
export type CheckEach = 'evaluation' | 'stage' | 'call';

/**
 * Every config to check: the stages of net_config first, then every other MixVarGENetConfig(...)
 * written in the file.
 */
export function configsToCheck(ctx: RuleContext, each: CheckEach): CheckedConfig[] {
  const out: CheckedConfig[] = [];
  const key = (c: ConfigValue) => (each === 'evaluation' ? c.id : c.call.start);
  const seen = new Set<number>();
  for (const cfg of ctx.stageConfigs) {
    if (!cfg || (each !== 'stage' && seen.has(key(cfg)))) continue;
    seen.add(key(cfg));
    out.push({ cfg, stage: stageOf(ctx, cfg) });
  }
  for (const cfg of ctx.ex.configs) {
    if (seen.has(key(cfg))) continue;
    seen.add(key(cfg));
    out.push({ cfg, stage: stageOf(ctx, cfg) });
  }
  return out;
}

/**
 * Stage index of a config: the stage that holds this very value, else the first stage holding the
 * same evaluation (by id: a config reached through a name is a copy).
 */
export function stageOf(ctx: RuleContext, cfg: ConfigValue): number | undefined {
  let i = ctx.stageConfigs.indexOf(cfg);
  if (i < 0) i = ctx.stageConfigs.findIndex((c) => c !== undefined && c.id === cfg.id);
  return i >= 0 ? i : undefined;
}

export function fieldValue(cfg: ConfigValue | undefined, field: string): Value | undefined {
  return cfg?.args.get(field)?.value;
}

/** An int, or a bool read as Python reads it (True == 1). Undefined for anything else. */
export function intLike(v: Value | undefined): number | undefined {
  if (!v) return undefined;
  if (v.k === 'int') return v.v;
  if (v.k === 'bool') return v.v ? 1 : 0;
  return undefined;
}

/** Kinds whose Python type is known (everything but unknown values, references and functions). */
export function isKnown(v: Value | undefined): v is Value {
  return !!v && v.k !== 'unknown' && v.k !== 'ref' && v.k !== 'func' && v.k !== 'builtin';
}

/** The backbone dicts HAT would build MixVarGENet from: the model's, then the others (deploy model, ...). */
export function allBackbones(ctx: RuleContext): BackboneInfo[] {
  return [...(ctx.ex.backbone ? [ctx.ex.backbone] : []), ...ctx.ex.otherBackbones];
}

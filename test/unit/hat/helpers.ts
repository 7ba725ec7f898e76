import type { RunRecord } from '../../../extension/core/hat';

export function run(stage: RunRecord['stage'], time: string, extra: Partial<RunRecord> = {}): RunRecord {
  return { id: `${stage}-${time}`, stage, time, status: 'ok', source: 'run', ...extra };
}

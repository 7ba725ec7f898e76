/** The diff of two configs: `diffConfigs(oldText, newText, options)` or `diffAnalyses(oldSnapshot, newSnapshot)`, and its text. */
export { diffAnalyses, diffConfigs, findingIdentity, hasChanges, numberDelta } from './diff';
export type { ConfigDiff, DiffConfigsOptions, DiffFinding, DiffInput, DiffSource, FieldChange, FieldValue, NumberDelta, StageDiff, StageStatus } from './diff';
export { changeText, costDeltaText, diffSummary, fieldText, formatDiffText, sideName } from './text';

/**
 * `mixvargenet_run_stage`: run one HAT stage on a config (trusted workspaces only), as "MixVarGENet: Run …" does —
 * a task with its terminal, the results stored — after a confirmation that names the exact command line.
 */
import * as vscode from 'vscode';
import { type StageId, STAGE_IDS, stageSpec } from '../../core/hat';
import { markdownCode } from '../../core/markdown';
import { type AgentTool, configDocument, type FileInput, json, label, requireTrust, result, type ToolDeps, UNTRUSTED_TOOL } from './shared';

export interface RunStageInput extends FileInput {
  stage: string;
}

function stageOf(input: RunStageInput): StageId {
  const spec = typeof input.stage === 'string' ? stageSpec(input.stage.trim()) : undefined;
  if (!spec) throw new Error(`unknown HAT stage ${JSON.stringify(input.stage)}: one of ${STAGE_IDS.join(', ')}`);
  return spec.id;
}

async function configFile(input: RunStageInput, deps: ToolDeps): Promise<vscode.Uri> {
  const doc = await configDocument(input, deps.manager);
  if (doc.uri.scheme !== 'file') throw new Error(`${label(doc.uri)} is not a file on disk: HAT reads the config file, save it first`);
  return doc.uri;
}

export const runStageTool: AgentTool<RunStageInput> = {
  name: 'mixvargenet_run_stage',
  async prepare(input, deps) {
    // Nothing to confirm when it cannot run: invoke() then says why, and runs nothing.
    if (!vscode.workspace.isTrusted) return { invocationMessage: `Not running HAT: ${UNTRUSTED_TOOL}` };
    let stage: StageId;
    let config: vscode.Uri;
    try {
      stage = stageOf(input);
      config = await configFile(input, deps);
    } catch {
      return undefined;
    }
    const plan = await deps.hat.planRun(stage, config);
    if ('problem' in plan) return { invocationMessage: `HAT ${stage} cannot start on ${label(config)}` };
    return {
      invocationMessage: `Running HAT ${stage} on ${label(config)}`,
      confirmationMessages: {
        title: `Run HAT ${stage} on ${label(config)}?`,
        message: new vscode.MarkdownString(
          `This runs, without a shell, in ${markdownCode(plan.cwd)}:\n\n${markdownCode(plan.display)}\n\nThe output shows in a terminal and is saved under \`.mixvargenet/logs/\`; the results are stored in \`.mixvargenet/results.json\`.`,
        ),
      },
    };
  },
  async invoke(input, deps, token) {
    requireTrust();
    const stage = stageOf(input);
    const config = await configFile(input, deps);
    const file = label(config);
    const plan = await deps.hat.planRun(stage, config);
    if ('problem' in plan) throw new Error(`HAT ${stage} cannot start on ${file}: ${plan.problem.replace(/^MixVarGENet: /, '')}`);
    const o = await deps.hat.run(stage, config, token);
    const rec = o.record;
    const head = rec
      ? `HAT ${stage} on ${file}: ${rec.status}${rec.exitCode !== undefined && rec.exitCode !== null ? ` (exit code ${rec.exitCode})` : ''}${o.summary ? `; latest results: ${o.summary}` : ''}${rec.log ? `; log: ${rec.log}` : ''}.`
      : `HAT ${stage} on ${file} did not run: ${o.error ?? 'unknown reason'}.`;
    return result(
      head,
      o.error && rec ? `Why: ${o.error}` : undefined,
      `Command: ${plan.display}`,
      rec ? json({ status: rec.status, accuracy: rec.accuracy, metrics: rec.metrics, fps: rec.fps, latencyMs: rec.latencyMs, failure: rec.failure, durationMs: rec.durationMs }) : undefined,
    );
  },
};

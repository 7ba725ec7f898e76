/**
 * The language-model tools (issue 17): what the analysis, the lint rules, their fixes, the HAT results, the latency
 * measurement and the HAT runs know, offered to chat agents (`vscode.lm.registerTool`; declared in package.json's
 * `contributes.languageModelTools`). One module per tool on shared.ts; each answers with compact text parts (JSON
 * where it helps) or fails with an Error that says why in one sentence.
 */
import * as vscode from 'vscode';
import { compareTool } from './compare';
import { describeTool } from './describe';
import { diffTool } from './diff';
import { explainRuleTool } from './explainRule';
import { fixTool } from './fix';
import { lintTool } from './lint';
import { measureTool } from './measure';
import { type AgentToolName, AGENT_TOOL_NAMES } from './names';
import { resultsTool } from './results';
import { runStageTool } from './runStage';
import type { AgentTool, ToolDeps } from './shared';

/** Every name of names.ts has its tool (the type checks it). */
const TOOLS: { [N in AgentToolName]: AgentTool<never> } = {
  mixvargenet_describe: describeTool,
  mixvargenet_lint: lintTool,
  mixvargenet_explain_rule: explainRuleTool,
  mixvargenet_fix: fixTool,
  mixvargenet_results: resultsTool,
  mixvargenet_measure: measureTool,
  mixvargenet_run_stage: runStageTool,
  mixvargenet_diff: diffTool,
  mixvargenet_compare: compareTool,
};

/** The input as an object (invokeTool validates it against the declared schema; a direct call may not have). */
function inputOf(x: unknown): object {
  return x && typeof x === 'object' && !Array.isArray(x) ? x : {};
}

/** What `mixvargenet._agentTool` returns: the tool's prepareInvocation, then its answer or its error. */
export interface AgentToolCall {
  prepared?: { invocationMessage?: string; confirmation?: { title: string; message: string } };
  parts?: string[];
  error?: string;
}

/** A string or a MarkdownString's text (1.95 has only strings for the progress message; 1.100 also Markdown). */
function textOf(v: unknown): string | undefined {
  return typeof v === 'string' ? v : v instanceof vscode.MarkdownString ? v.value : undefined;
}

/**
 * Internal (tests): prepare and invoke a tool as a chat does once the user has confirmed — VS Code's own
 * confirmation is a chat bubble, or outside a chat a modal dialog no extension-host test can answer.
 */
async function callAsConfirmed(deps: ToolDeps, name: unknown, input: unknown, pending: Set<vscode.CancellationTokenSource>): Promise<AgentToolCall> {
  const tool = (TOOLS as Record<string, AgentTool<object> | undefined>)[String(name)];
  if (!tool) return { error: `no tool ${String(name)}` };
  const cts = new vscode.CancellationTokenSource();
  pending.add(cts);
  const out: AgentToolCall = {};
  try {
    const p = await tool.prepare?.(inputOf(input), deps, cts.token);
    if (p) {
      const m = p.confirmationMessages?.message;
      out.prepared = {
        invocationMessage: textOf(p.invocationMessage),
        confirmation: p.confirmationMessages && { title: p.confirmationMessages.title, message: textOf(m) ?? '' },
      };
    }
    const r = await tool.invoke(inputOf(input), deps, cts.token);
    out.parts = r.content.map((c) => (c instanceof vscode.LanguageModelTextPart ? c.value : JSON.stringify(c)));
  } catch (e) {
    out.error = e instanceof Error ? e.message : String(e);
  } finally {
    pending.delete(cts);
    cts.dispose();
  }
  return out;
}

export function registerAgentTools(deps: ToolDeps, log: vscode.LogOutputChannel): vscode.Disposable {
  const pending = new Set<vscode.CancellationTokenSource>();
  const internal = vscode.Disposable.from(
    vscode.commands.registerCommand('mixvargenet._agentTool', (name: unknown, input: unknown) => callAsConfirmed(deps, name, input, pending)),
    // As a chat's Stop button: cancels the calls in progress.
    vscode.commands.registerCommand('mixvargenet._agentTool.cancel', () => {
      for (const c of pending) c.cancel();
      return pending.size;
    }),
  );
  // VS Code before the language-model API (or a host without it): nothing to offer.
  if (typeof vscode.lm?.registerTool !== 'function') return internal;
  return vscode.Disposable.from(
    internal,
    ...AGENT_TOOL_NAMES.map((name) => {
      const tool = TOOLS[name] as AgentTool<object>;
      if (tool.name !== name) throw new Error(`agent tool ${name} is registered as ${tool.name}`);
      return vscode.lm.registerTool<object>(name, {
        prepareInvocation: tool.prepare ? (o, token) => tool.prepare!(inputOf(o.input), deps, token) : undefined,
        invoke: async (o, token) => {
          try {
            return await tool.invoke(inputOf(o.input), deps, token);
          } catch (e) {
            const msg = e instanceof Error ? e.message : String(e);
            log.info(`agent tool ${name}: ${msg}`);
            throw new Error(`${name}: ${msg}`);
          }
        },
      });
    }),
  );
}

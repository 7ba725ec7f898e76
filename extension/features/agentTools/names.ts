/**
 * The language-model tools' names (issue 17): one list, read by the registration (index.ts, which must give a module
 * for each) and by the unit test that checks package.json's `contributes.languageModelTools` against it. No `vscode`
 * import, so plain Node can read it.
 *
 * Adding a tool: its name here, a
 * module beside the others exporting an AgentTool (shared.ts gives the config input, the analysis and the result
 * parts), one line in index.ts's TOOLS, and its entry in package.json.
 */
export const AGENT_TOOL_NAMES = [
  'mixvargenet_describe',
  'mixvargenet_lint',
  'mixvargenet_explain_rule',
  'mixvargenet_fix',
  'mixvargenet_results',
  'mixvargenet_measure',
  'mixvargenet_run_stage',
  'mixvargenet_diff',
  'mixvargenet_compare',
] as const;

export type AgentToolName = (typeof AGENT_TOOL_NAMES)[number];

/** The tools that run a process on this machine: refused outside a trusted workspace. */
export const TRUSTED_ONLY: readonly AgentToolName[] = ['mixvargenet_measure', 'mixvargenet_run_stage'];

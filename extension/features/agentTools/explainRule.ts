/** `mixvargenet_explain_rule`: a rule's documentation (what it catches, why HAT fails, how to fix it). */
import { ruleMarkdown } from '../../core/rules/docs';
import { type AgentTool, result } from './shared';

export interface ExplainInput {
  rule: string;
}

export const explainRuleTool: AgentTool<ExplainInput> = {
  name: 'mixvargenet_explain_rule',
  async prepare(input) {
    return { invocationMessage: `Looking up MixVarGENet rule ${String(input.rule)}` };
  },
  async invoke(input, { manager }) {
    const asked = typeof input.rule === 'string' ? input.rule.trim() : '';
    if (!asked) throw new Error('"rule" is required: a rule code such as MVG002, or a rule name such as channel-chain');
    const rules = await manager.rules();
    const r = rules.find((x) => x.code.toUpperCase() === asked.toUpperCase() || x.name.toLowerCase() === asked.toLowerCase());
    if (!r) throw new Error(`no rule ${asked}: the rules are ${rules.map((x) => x.code).join(', ')}`);
    return result(ruleMarkdown(r));
  },
};

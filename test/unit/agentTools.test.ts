// The language-model tools declared in package.json (contributes.languageModelTools) are exactly the ones the
// extension registers (extension/features/agentTools/names.ts, which the registration must cover: a type checks it),
// each with what VS Code requires of it and what a model needs to pick it.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AGENT_TOOL_NAMES, TRUSTED_ONLY } from '../../extension/features/agentTools/names';
import { STAGE_IDS } from '../../extension/core/hat/stages';
import { COLUMNS } from '../../extension/core/compare/columns';

const ROOT = join(__dirname, '..', '..', '..');

interface ToolEntry {
  name: string;
  toolReferenceName?: string;
  displayName?: string;
  canBeReferencedInPrompt?: boolean;
  userDescription?: string;
  modelDescription?: string;
  icon?: string;
  tags?: string[];
  inputSchema?: { type: string; properties: Record<string, { type: string; enum?: string[]; items?: { type: string } }>; required?: string[] };
}

describe('package.json: the language-model tools', () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
    engines: { vscode: string };
    activationEvents: string[];
    devDependencies: Record<string, string>;
    contributes: { languageModelTools: ToolEntry[] };
  };
  const tools = pkg.contributes.languageModelTools;

  it('declares exactly the registered tools, in the same order', () => {
    assert.deepEqual(tools.map((t) => t.name), [...AGENT_TOOL_NAMES]);
  });

  it('each has what VS Code requires (name, displayName, modelDescription; a reference name when referenceable)', () => {
    for (const t of tools) {
      // VS Code refuses names outside [\w-] and the copilot_/vscode_ prefixes.
      assert.match(t.name, /^mixvargenet_[a-z_]+$/);
      assert.ok(t.displayName && t.displayName.length <= 40, `${t.name}: displayName`);
      assert.equal(t.canBeReferencedInPrompt, true, `${t.name}: referenceable as #${t.name}`);
      assert.equal(t.toolReferenceName, t.name, `${t.name}: toolReferenceName`);
      assert.ok(t.userDescription && t.userDescription.length < 120, `${t.name}: a short userDescription`);
      assert.ok(t.icon?.startsWith('$('), `${t.name}: a codicon`);
      assert.ok(t.tags?.includes('mixvargenet'), `${t.name}: tagged`);
    }
  });

  it('each modelDescription says what, when and the input, in words a model reads', () => {
    for (const t of tools) {
      const d = t.modelDescription ?? '';
      assert.ok(d.length >= 250 && d.length <= 1200, `${t.name}: ${d.length} characters`);
      assert.match(d, /Use it /, `${t.name}: when to use it`);
      assert.match(d, /Input: /, `${t.name}: its input`);
      if (TRUSTED_ONLY.includes(t.name as (typeof TRUSTED_ONLY)[number])) assert.match(d, /trusted workspace/, `${t.name}: trusted only`);
    }
  });

  it('each input schema is an object whose required fields are declared; the stage is one of HAT\'s stages', () => {
    for (const t of tools) {
      const s = t.inputSchema;
      assert.ok(s && s.type === 'object', `${t.name}: an object schema`);
      for (const r of s.required ?? []) assert.ok(r in s.properties, `${t.name}: required ${r} is a property`);
      for (const [k, p] of Object.entries(s.properties))
        assert.ok(['string', 'integer', 'boolean'].includes(p.type) || (p.type === 'array' && p.items?.type === 'string'), `${t.name}.${k}: ${p.type}`);
      if (t.name === 'mixvargenet_compare') assert.equal(s.properties.files?.type, 'array', `${t.name}: takes files`);
      else if (t.name !== 'mixvargenet_explain_rule') assert.equal(s.properties.file?.type, 'string', `${t.name}: takes a file`);
    }
    // compare's axes are the compare view's columns.
    const compare = tools.find((t) => t.name === 'mixvargenet_compare')!;
    for (const axis of ['x', 'y']) assert.deepEqual(compare.inputSchema!.properties[axis].enum, COLUMNS.map((c) => c.key), `compare.${axis}`);
    const run = tools.find((t) => t.name === 'mixvargenet_run_stage')!;
    assert.deepEqual([...run.inputSchema!.properties.stage.enum!].sort(), [...STAGE_IDS].sort());
    assert.deepEqual(run.inputSchema!.required, ['stage']);
  });

  it('VS Code 1.95 (the language-model tools API) is the least it runs on, with types no newer than that', () => {
    assert.equal(pkg.engines.vscode, '^1.95.0');
    // vsce refuses @types/vscode newer than engines.vscode.
    assert.equal(pkg.devDependencies['@types/vscode'], '~1.95.0');
    for (const n of AGENT_TOOL_NAMES) assert.ok(pkg.activationEvents.includes(`onLanguageModelTool:${n}`), `activates on ${n}`);
  });
});

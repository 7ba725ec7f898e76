// The first thing to know in a real VS Code: the extension activates on a MixVarGENet config and publishes
// diagnostics with source 'mixvargenet'. Runs in the extension host over a temp copy of examples/.
import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';

const EXTENSION_ID = 'mixvargenet-studio.mixvargenet-studio';

function workspaceUri(rel: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'a workspace folder is open (the copy of examples/)');
  return vscode.Uri.joinPath(folder.uri, ...rel.split('/'));
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

/** Resolves with the diagnostics of `uri` once `pred` holds for them; rejects with what was there after `ms`. */
function waitForDiagnostics(uri: vscode.Uri, pred: (d: readonly vscode.Diagnostic[]) => boolean, ms = 15_000): Promise<readonly vscode.Diagnostic[]> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const d = vscode.languages.getDiagnostics(uri);
      if (pred(d)) {
        sub.dispose();
        clearTimeout(timer);
        resolve(d);
        return true;
      }
      return false;
    };
    const sub = vscode.languages.onDidChangeDiagnostics((e) => {
      if (e.uris.some((u) => u.toString() === uri.toString())) check();
    });
    const timer = setTimeout(() => {
      sub.dispose();
      const d = vscode.languages.getDiagnostics(uri);
      reject(new Error(`diagnostics of ${uri.path} after ${ms} ms: ${JSON.stringify(d.map((x) => [x.source, x.code, x.message]))}`));
    }, ms);
    check();
  });
}

function codeOf(d: vscode.Diagnostic): string | undefined {
  const c = d.code;
  if (c === undefined) return undefined;
  return typeof c === 'object' ? String(c.value) : String(c);
}

describe('smoke', () => {
  it('activates on opening the seed config', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is loaded`);
    const doc = await vscode.workspace.openTextDocument(workspaceUri('configs/mixvargenet_imagenet.py'));
    assert.equal(doc.languageId, 'python');
    await vscode.window.showTextDocument(doc);
    const until = Date.now() + 15_000;
    while (!ext.isActive && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
    assert.ok(ext.isActive, 'the extension is active after a Python config was opened');
  });

  it("publishes 'mixvargenet' diagnostics for a config with mistakes", async () => {
    let uri = workspaceUri('configs/mistakes.py');
    if (!(await exists(uri))) {
      // Until examples/configs/mistakes.py exists: a config whose last stage names an op that does not exist.
      uri = workspaceUri('configs/smoke_mistake.py');
      const text = [
        'from hat.models.backbones.mixvargenet import MixVarGENetConfig',
        'net_config = [',
        '    [MixVarGENetConfig(in_channels=32, out_channels=32, head_op="mixvarge_f2", stack_ops=[],',
        '                       stack_factor=1, stride=1, fusion_strides=[], extra_downsample_num=0)],',
        '    [MixVarGENetConfig(in_channels=32, out_channels=64, head_op="mixvarge_f3", stack_ops=[],',
        '                       stack_factor=1, stride=2, fusion_strides=[], extra_downsample_num=0)],',
        ']',
        '',
      ].join('\n');
      await vscode.workspace.fs.writeFile(uri, Buffer.from(text, 'utf8'));
    }
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    const diags = await waitForDiagnostics(uri, (d) => d.some((x) => x.source === 'mixvargenet'));
    const ours = diags.filter((d) => d.source === 'mixvargenet');
    assert.ok(ours.length > 0);
    for (const d of ours) assert.match(codeOf(d) ?? '', /^MVG\d{3}$/, `every diagnostic carries its rule code: ${d.message}`);
  });

  it('stays silent on the valid seed config', async () => {
    const uri = workspaceUri('configs/mixvargenet_imagenet.py');
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    // Give the (debounced) analysis time to publish, then expect no error or warning from us.
    await new Promise((r) => setTimeout(r, 1500));
    const bad = vscode.languages
      .getDiagnostics(uri)
      .filter((d) => d.source === 'mixvargenet' && d.severity <= vscode.DiagnosticSeverity.Warning);
    assert.deepEqual(bad.map((d) => `${codeOf(d)} ${d.message}`), []);
  });
});

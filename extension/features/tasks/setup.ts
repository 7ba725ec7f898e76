/**
 * A HAT run that cannot start (no scripts folder, no Python, a bad stage option): one notification that leads with
 * the problem and offers the fix — "Choose Folder…" for the scripts folder, written as this workspace folder's
 * setting, then the run again — or the workspace settings (the HAT settings are per project, not per user).
 * "MixVarGENet: Choose HAT Scripts Folder…" is the same picker from the palette.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { MARKER } from '../../core/hat/discover';
import { notificationText } from '../../core/markdown';
import { setScriptsDirForFolder } from '../../host/settings';
import { currentDocument, uriFromArg } from '../../host/commandArgs';
import { nodePath } from '../../run/paths';
import type { SetupProblem } from './run';

const CHOOSE = 'Choose Folder…';
const OPEN = 'Open Workspace Settings';
const DETAILS = 'Details';

/** The notification for a run that cannot start; `rerun` runs it again once a folder was chosen. */
export function showSetupProblem(problem: SetupProblem, config: vscode.Uri | undefined, rerun?: () => unknown): void {
  const buttons = [...(problem.fix === 'scriptsDir' ? [CHOOSE] : []), ...(problem.setting ? [OPEN] : []), ...(problem.headline ? [DETAILS] : [])];
  const full = problem.error.replace(/^MixVarGENet: /, '');
  // One short sentence on screen (a toast is cut after two lines); what was tried is behind "Details".
  const text = `MixVarGENet: ${problem.headline ?? full}`;
  void vscode.window.showErrorMessage(notificationText(text), ...buttons).then(async (b) => {
    if (b === DETAILS) void vscode.window.showErrorMessage(notificationText(text), { modal: true, detail: full });
    else if (b === CHOOSE) {
      const chosen = await chooseScriptsDir({ uri: config?.toString() });
      if (chosen.ok && rerun) rerun();
    } else if (b === OPEN) await openWorkspaceSetting(problem.setting!);
  });
}

/** The Settings editor on the workspace scope, filtered to one setting. */
export async function openWorkspaceSetting(setting: string): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.openWorkspaceSettings', { query: setting });
}

export interface ChooseArgs {
  /** The config the folder is for (its workspace folder gets the setting); default: the active editor. */
  uri?: string;
  /** The folder, without a dialog (tests). */
  path?: string;
}

/**
 * Ask for HAT's scripts folder (the one holding tools/train.py; its parent with a scripts/ subfolder is taken too),
 * and write it as the `mixvargenet.hat.scriptsDir` setting of the config's workspace folder — as
 * `${workspaceFolder}/…` when it is inside it, so the setting works for everyone who clones the project.
 */
export async function chooseScriptsDir(arg?: unknown): Promise<{ ok: boolean; value?: string; error?: string }> {
  const a: ChooseArgs = arg && typeof arg === 'object' && !(arg instanceof vscode.Uri) ? (arg as ChooseArgs) : {};
  const config = uriFromArg(a.uri ?? arg) ?? currentDocument()?.uri;
  const folder = config ? vscode.workspace.getWorkspaceFolder(config) : vscode.workspace.workspaceFolders?.[0];
  if (!folder) {
    const error = 'open a workspace folder first: the scripts folder is a workspace setting';
    void vscode.window.showWarningMessage(`MixVarGENet: ${error}.`);
    return { ok: false, error };
  }
  let dir = a.path;
  if (!dir) {
    const picked = await vscode.window.showOpenDialog({
      canSelectFolders: true,
      canSelectFiles: false,
      canSelectMany: false,
      defaultUri: folder.uri,
      openLabel: 'Use as HAT Scripts Folder',
      title: "HAT's scripts folder (horizon_model_train_sample/scripts, the one with tools/train.py)",
    });
    if (!picked?.[0]) return { ok: false, error: 'cancelled' };
    dir = picked[0].fsPath;
  }
  const candidates = [dir, path.join(dir, 'scripts')];
  const found = candidates.find((d) => nodePath.isFile(path.join(d, MARKER)));
  if (!found) {
    const error = `${dir} has no ${MARKER} (nor scripts/${MARKER}): choose HAT's horizon_model_train_sample/scripts folder`;
    if (!a.path) void vscode.window.showErrorMessage(notificationText(`MixVarGENet: ${error}.`), CHOOSE).then((b) => {
        if (b === CHOOSE) void chooseScriptsDir({ uri: config?.toString() });
      });
    return { ok: false, error };
  }
  const rel = path.relative(folder.uri.fsPath, found);
  const value = !rel || (!rel.startsWith('..') && !path.isAbsolute(rel)) ? `\${workspaceFolder}${rel ? `/${rel.split(path.sep).join('/')}` : ''}` : found;
  await setScriptsDirForFolder(folder.uri, value);
  if (!a.path) void vscode.window.setStatusBarMessage(`MixVarGENet: HAT scripts folder set to ${value} (${folder.name} workspace setting)`, 5000);
  return { ok: true, value };
}

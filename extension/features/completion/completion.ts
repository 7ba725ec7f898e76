/** Completion provider: items computed by the core (extension/core/ide/completion.ts) in the analysis engine. */
import * as vscode from 'vscode';
import type { IdeCompletionItem } from '../../core/ide/completion';
import type { AnalysisManager } from '../analysis/manager';
import { features } from '../../host/settings';
import { PYTHON_SELECTOR } from '../../host/selector';

export const TRIGGER_CHARACTERS = ['"', "'", '(', ',', '[', '=', ' '];

const KIND: Record<IdeCompletionItem['kind'], vscode.CompletionItemKind> = {
  field: vscode.CompletionItemKind.Field,
  op: vscode.CompletionItemKind.EnumMember,
  value: vscode.CompletionItemKind.Value,
  stage: vscode.CompletionItemKind.Snippet,
  snippet: vscode.CompletionItemKind.Snippet,
  note: vscode.CompletionItemKind.Text,
};

export function toCompletionItem(doc: vscode.TextDocument, pos: vscode.Position, it: IdeCompletionItem): vscode.CompletionItem {
  const item = new vscode.CompletionItem({ label: it.label, detail: it.labelDetail, description: it.labelDescription }, KIND[it.kind]);
  item.detail = it.detail;
  if (it.documentation) {
    const md = new vscode.MarkdownString(it.documentation);
    md.supportThemeIcons = false;
    item.documentation = md;
  }
  item.insertText = it.snippet ? new vscode.SnippetString(it.insertText) : it.insertText;
  const start = doc.positionAt(it.range.start);
  const end = doc.positionAt(it.range.end);
  const cursor = pos.isBefore(start) ? start : pos.isAfter(end) ? end : pos;
  item.range = { inserting: new vscode.Range(start, cursor), replacing: new vscode.Range(start, end) };
  if (it.additionalEdits?.length) item.additionalTextEdits = it.additionalEdits.map((e) => vscode.TextEdit.replace(new vscode.Range(doc.positionAt(e.range.start), doc.positionAt(e.range.end)), e.newText));
  item.sortText = it.sortText;
  item.filterText = it.filterText;
  item.preselect = it.preselect;
  if (it.deprecated) item.tags = [vscode.CompletionItemTag.Deprecated];
  return item;
}

export function registerCompletion(manager: AnalysisManager): vscode.Disposable {
  return vscode.languages.registerCompletionItemProvider(
    PYTHON_SELECTOR,
    {
      async provideCompletionItems(doc, pos, token) {
        if (!features(doc.uri).completion || !manager.isConfig(doc)) return undefined;
        const r = await manager.query(doc, 'completion', doc.offsetAt(pos), token);
        if (!r || !r.items.length) return undefined;
        return new vscode.CompletionList(r.items.map((it) => toCompletionItem(doc, pos, it)), false);
      },
    },
    ...TRIGGER_CHARACTERS,
  );
}

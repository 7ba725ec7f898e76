/**
 * The ONLY module that imports @vscode/webview-ui-toolkit (deprecated upstream: keeping it behind this
 * file means replacing it later touches one place). Registers just the components the panel uses.
 */
import { provideVSCodeDesignSystem, vsCodeButton, vsCodeDivider, vsCodeDropdown, vsCodeOption, vsCodeTextField } from '@vscode/webview-ui-toolkit';

let registered = false;

/** Defines <vscode-button>, <vscode-dropdown>, <vscode-option>, <vscode-text-field>, <vscode-divider>. */
export function registerToolkit(): void {
  if (registered) return;
  registered = true;
  provideVSCodeDesignSystem().register(vsCodeButton(), vsCodeDropdown(), vsCodeOption(), vsCodeTextField(), vsCodeDivider());
}

/** The value of a toolkit dropdown or text field (both expose `value`). */
export function controlValue(el: Element | null): string {
  return el && 'value' in el ? String((el as unknown as { value: unknown }).value ?? '') : '';
}

export function setControlValue(el: Element | null, value: string): void {
  if (el && 'value' in el) (el as unknown as { value: string }).value = value;
}

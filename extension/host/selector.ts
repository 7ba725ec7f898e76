/** Python documents the features serve: files, untitled buffers, notebook cells, remote and virtual files (not git/diff views). */
export const PYTHON_SELECTOR: { language: string; scheme: string }[] = ['file', 'untitled', 'vscode-notebook-cell', 'vscode-remote', 'vscode-vfs', 'vscode-userdata'].map((scheme) => ({
  language: 'python',
  scheme,
}));

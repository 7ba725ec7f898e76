/** The CLI's version and home, bundled in from package.json. */
import pkg from '../../package.json';

const meta = pkg as { name: string; version: string; publisher?: string; homepage?: string; repository?: string | { url?: string } };

export const VERSION: string = meta.version;

function repositoryUrl(): string | undefined {
  const r = meta.repository;
  const url = typeof r === 'string' ? r : r?.url;
  return url ? url.replace(/^git\+/, '').replace(/\.git$/, '') : undefined;
}

/** Where SARIF viewers link the tool to: package.json's homepage or repository; omitted when neither is set. */
export const INFORMATION_URI: string | undefined = meta.homepage ?? repositoryUrl();

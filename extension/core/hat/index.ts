/** HAT tasks core: the stage catalogue, discovery, the results store and its formatting. No vscode. */
export * from './stages';
export * from './discover';
export * from './results';
export * from './format';
export * from './progress';
export * from './failure';
export * from './slurm';

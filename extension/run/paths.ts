/** The core's path operations (HAT scripts discovery, failure frames) on the real file system. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { PathOps } from '../core/hat';

export const nodePath: PathOps = {
  isFile: (p) => {
    try {
      return fs.statSync(p).isFile();
    } catch {
      return false;
    }
  },
  join: path.join,
  dirname: path.dirname,
  isAbsolute: path.isAbsolute,
  resolve: path.resolve,
};

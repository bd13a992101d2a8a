import { join } from 'node:path';

/**
 * The repository root (tools/bench/src → ../../..): where the results, node_modules and tsconfig.base.json are.
 *
 * @example
 * join(REPO_ROOT, 'bench', 'results');
 */
export const REPO_ROOT = join(__dirname, '..', '..', '..');

import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Where `npm run build:workflows` writes the bundle, and where a production worker looks for it. */
export const BUILT_WORKFLOW_BUNDLE = fileURLToPath(new URL('../dist/workflow-bundle.js', import.meta.url));

/**
 * The prebuilt workflow bundle a worker runs, or undefined to bundle workflows/ at start (samples-typescript's
 * `production` example). In production, the bundle built ahead of time (the image runs `npm run build:workflows`):
 * the worker starts without webpack, and every worker of a release runs the same bytes. WORKFLOW_BUNDLE_PATH names
 * another bundle and must exist. In development workflows/ is bundled at start, so a restart picks up a change and
 * a stale dist/ bundle is never used.
 */
export function chooseWorkflowBundle(options: { bundlePath?: string; production: boolean }, exists: (path: string) => boolean = existsSync): { codePath: string } | undefined {
  if (options.bundlePath !== undefined) {
    if (!exists(options.bundlePath)) throw new Error(`WORKFLOW_BUNDLE_PATH ${options.bundlePath} does not exist; build it with \`npm run build:workflows\``);
    return { codePath: options.bundlePath };
  }
  return options.production && exists(BUILT_WORKFLOW_BUNDLE) ? { codePath: BUILT_WORKFLOW_BUNDLE } : undefined;
}

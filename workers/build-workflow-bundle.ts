// `npm run build:workflows`: bundles workflows/ once, ahead of time, for production workers (workers/workflow-code.ts).
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { quietBundlerLogger, workflowsPath } from './create-workers';
import { BUILT_WORKFLOW_BUNDLE } from './workflow-code';

const { code } = await bundleWorkflowCode({ workflowsPath, logger: quietBundlerLogger });
await mkdir(dirname(BUILT_WORKFLOW_BUNDLE), { recursive: true });
await writeFile(BUILT_WORKFLOW_BUNDLE, code);
process.stdout.write(`workflow bundle written to ${BUILT_WORKFLOW_BUNDLE} (${Math.round(code.length / 1024)} KiB)\n`);

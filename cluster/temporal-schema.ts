import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { PostgresEndpoint } from './postgres-endpoint';

const run = promisify(execFile);
/** The same script docker-compose.yml's temporal-schema service runs. */
const setupScript = fileURLToPath(new URL('../deploy/temporal/setup-schema.sh', import.meta.url));

/** Creates Temporal's persistence and visibility databases and their schemas with Temporal's SQL tool (idempotent). */
export async function setUpTemporalSchema(tool: { sqlTool: string; schemaRoot: string }, postgres: PostgresEndpoint, databases: { persistence: string; visibility: string }): Promise<void> {
  try {
    await run('sh', [setupScript, tool.schemaRoot], {
      env: {
        PATH: process.env.PATH ?? '',
        TEMPORAL_SQL_TOOL: tool.sqlTool,
        SQL_HOST: postgres.host,
        SQL_PORT: String(postgres.port),
        SQL_USER: postgres.user,
        SQL_PASSWORD: postgres.password,
        DBNAME: databases.persistence,
        VISIBILITY_DBNAME: databases.visibility,
      },
    });
  } catch (err) {
    const { stdout, stderr } = err as { stdout?: string; stderr?: string };
    throw new Error(`Temporal schema setup (deploy/temporal/setup-schema.sh) failed:\n${stderr ?? ''}${stdout ?? ''}`);
  }
}

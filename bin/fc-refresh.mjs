#!/usr/bin/env node
// Runs the TypeScript CLI through tsx, so `npx fc-refresh` and `npm run cli --` need no build step.
import { register } from 'tsx/esm/api';

register();
await import(new URL('../client/cli/main.ts', import.meta.url).href);

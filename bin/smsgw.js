#!/usr/bin/env node
// The CLI is TypeScript run through tsx's loader, so the installed command and the tests use the same sources.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../cli/index.ts');
process.exitCode = await main(process.argv);

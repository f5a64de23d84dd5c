#!/usr/bin/env node
// The wasm-meta command. The code is compiled into dist/ by `npm ci` (the prepare script).
import { main } from '../dist/cli/main.js';

process.exitCode = await main(process.argv.slice(2));

#!/usr/bin/env node
// The wasm-meta command. `npm run build` builds dist/ (npm pack and npm test run it); the command
// runs from the bundle in dist/bundle/, which loads each command's code only when that command runs.
import { main } from '../dist/bundle/main.js';

process.exitCode = await main(process.argv.slice(2));

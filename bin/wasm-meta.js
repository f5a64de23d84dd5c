#!/usr/bin/env node
// The wasm-meta command. `npm run build` builds dist/ (npm pack and npm test run it); the command
// runs from the bundle in dist/bundle/, which loads each command's code only when that command runs.
// Node.js 22.1 and later keep the V8 code of the bundles in a cache (in the temporary directory,
// unless NODE_COMPILE_CACHE says otherwise; none if it cannot be written): compiling them is most
// of what starting a command costs. The bundle is imported after, so that it is compiled with it.
process.getBuiltinModule?.('node:module').enableCompileCache?.();
const { main } = await import('../dist/bundle/main.js');

process.exitCode = await main(process.argv.slice(2));

// Deletes the declaration files in dist/ that no entry point's types reach. tsc writes a .d.ts for
// every module it compiles, but a consumer's TypeScript reads only those that the entry points'
// declarations import: the others would ship without ever being loaded.
import { readFileSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import ts from 'typescript';

const manifest = JSON.parse(readFileSync('package.json', 'utf8'));

/** Every string in a package.json entry-point field (exports, imports, typesVersions…). */
const targetsOf = (value) =>
  typeof value === 'string'
    ? [value]
    : typeof value === 'object' && value !== null
      ? Object.values(value).flatMap(targetsOf)
      : [];

const entries = [manifest.types, manifest.exports, manifest.imports, manifest.typesVersions]
  .flatMap(targetsOf)
  .filter((target) => target.endsWith('.d.ts'))
  .map((target) => normalize(target));

const reached = new Set();
const pending = [...entries];
while (pending.length > 0) {
  const file = pending.pop();
  if (reached.has(file)) continue;
  reached.add(file);
  const { importedFiles, referencedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
  for (const { fileName } of [...importedFiles, ...referencedFiles]) {
    if (fileName.startsWith('.')) pending.push(join(dirname(file), fileName).replace(/\.js$/, '.d.ts'));
    else if (fileName.startsWith('#'))
      pending.push(
        ...targetsOf(manifest.imports[fileName])
          .filter((t) => t.endsWith('.d.ts'))
          .map((t) => normalize(t)),
      );
  }
}

for (const entry of readdirSync('dist', { recursive: true })) {
  const file = join('dist', entry);
  if (file.endsWith('.d.ts') && !reached.has(file)) rmSync(file);
}

import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The nearest package.json in `directory` or above it, as npm finds a project's; `undefined` if none. */
export function nearestPackageJson(directory: string): string | undefined {
  for (let current = directory; ; current = dirname(current)) {
    const candidate = join(current, 'package.json');
    if (existsSync(candidate)) return candidate;
    if (dirname(current) === current) return undefined;
  }
}

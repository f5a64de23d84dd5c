import { checkValue } from '../values/check.js';
import { VERSION } from '../version.js';
import {
  type PackageManifestOptions,
  PackageMetadataCollector,
  type PackageMetadata,
  asString,
  asStringArray,
  asTable,
  joinPeople,
} from './collector.js';

/**
 * Maps a parsed pyproject.toml to metadata.
 *
 * As spec manifests.md §5 says: PEP 621 `[project]`, PEP 639 licences, and `[tool.poetry]` as
 * a fallback for each key that `[project]` lacks or lists in `dynamic`; the revision comes from
 * git (`revisionFromGit`).
 */
export function mapPyproject(toml: Record<string, unknown>, options: PackageManifestOptions = {}): PackageMetadata {
  const collector: PackageMetadataCollector = new PackageMetadataCollector(
    options.file ?? 'pyproject.toml',
    options.skip,
  );
  const project = asTable(collector, 'project', toml['project']) ?? {};
  const tool = asTable(collector, 'tool', toml['tool']) ?? {};
  const poetry = asTable(collector, 'tool.poetry', tool['poetry']) ?? {};
  const dynamic = new Set(asStringArray(collector, 'project.dynamic', project['dynamic']) ?? []);
  /** `[project].key` unless it is dynamic; else `[tool.poetry].fallback`. */
  const pick = (key: string, fallback = key): [string, unknown] => {
    if (project[key] !== undefined && !dynamic.has(key)) return [`project.${key}`, project[key]];
    return [`tool.poetry.${fallback}`, poetry[fallback]];
  };

  collector.set('name', 'project.name', () => {
    const [key, value] = pick('name');
    return asString(collector, key, value);
  });
  collector.set('version', 'project.version', () => {
    const [key, value] = pick('version');
    if (value === undefined && dynamic.has('version')) {
      collector.warn('project.version', 'is dynamic and [tool.poetry] has no version; version not written');
    }
    return asString(collector, key, value);
  });
  collector.set('description', 'project.description', () => {
    const [key, value] = pick('description');
    return asString(collector, key, value);
  });
  collector.set('authors', 'project.authors', () => authors(collector, project, poetry, dynamic));
  licenses(collector, project, poetry, dynamic);
  const urls = dynamic.has('urls') ? {} : (asTable(collector, 'project.urls', project['urls']) ?? {});
  url(collector, 'homepage', urls, ['homepage'], poetry, 'homepage');
  url(collector, 'source', urls, ['source', 'repository'], poetry, 'repository');
  url(collector, 'documentation', urls, ['documentation'], poetry, 'documentation');
  collector.producer({ field: 'processed-by', name: 'wasm-meta', version: VERSION });
  return collector.result(true);
}

/** PEP 621 people (`{name, email}` tables), or Poetry's `"Name <email>"` strings. */
function authors(
  collector: PackageMetadataCollector,
  project: Record<string, unknown>,
  poetry: Record<string, unknown>,
  dynamic: ReadonlySet<string>,
): string | undefined {
  const people: string[] = [];
  for (const key of ['authors', 'maintainers']) {
    const list = dynamic.has(key) ? undefined : project[key];
    if (list === undefined) continue;
    if (!Array.isArray(list)) collector.fail(`project.${key}`, 'expected an array of {name, email} tables');
    list.forEach((entry, i) => {
      const at = `project.${key}[${i}]`;
      const table = asTable(collector, at, entry) as Record<string, unknown>;
      const name = asString(collector, `${at}.name`, table['name'])?.trim() ?? '';
      const email = asString(collector, `${at}.email`, table['email'])?.trim() ?? '';
      people.push(name !== '' && email !== '' ? `${name} <${email}>` : name || email);
    });
  }
  if (people.length === 0) {
    for (const key of ['authors', 'maintainers'])
      people.push(...(asStringArray(collector, `tool.poetry.${key}`, poetry[key]) ?? []));
  }
  return joinPeople(people, ', ');
}

/** PEP 639 `license = "SPDX"`, the legacy `{text}`/`{file}` tables, `license-expression`, or Poetry's. */
function licenses(
  collector: PackageMetadataCollector,
  project: Record<string, unknown>,
  poetry: Record<string, unknown>,
  dynamic: ReadonlySet<string>,
): void {
  const raw = dynamic.has('license') ? undefined : project['license'];
  if (typeof raw === 'object' && raw !== null && !Array.isArray(raw)) {
    const table = raw as Record<string, unknown>;
    if (table['file'] !== undefined) {
      if (!collector.skips('licenses'))
        collector.warn('project.license.file', 'a licence file is not an SPDX expression; licenses not written');
      return;
    }
    const text = asString(collector, 'project.license.text', table['text']);
    if (text === undefined || text.trim() === '') return;
    const checked = checkValue('spdx', text);
    if (typeof checked !== 'string' && checked.suggestion === undefined) {
      if (!collector.skips('licenses'))
        collector.warn(
          'project.license.text',
          `${JSON.stringify(text)} is not an SPDX expression; licenses not written`,
        );
      return;
    }
    collector.set('licenses', 'project.license.text', () => text);
    return;
  }
  if (raw !== undefined) {
    collector.set('licenses', 'project.license', () => asString(collector, 'project.license', raw));
    return;
  }
  if (project['license-expression'] !== undefined) {
    collector.set('licenses', 'project.license-expression', () =>
      asString(collector, 'project.license-expression', project['license-expression']),
    );
    return;
  }
  collector.set('licenses', 'tool.poetry.license', () => asString(collector, 'tool.poetry.license', poetry['license']));
}

/**
 * A URL from `[project.urls]`, whose labels are matched case-insensitively after trimming (the
 * first match in file order wins, `labels` in order of preference), else from `[tool.poetry]`.
 */
function url(
  collector: PackageMetadataCollector,
  field: 'homepage' | 'source' | 'documentation',
  urls: Record<string, unknown>,
  labels: readonly string[],
  poetry: Record<string, unknown>,
  poetryKey: string,
): void {
  for (const label of labels) {
    const hit = Object.entries(urls).find(([key, value]) => key.trim().toLowerCase() === label && value !== '');
    if (hit !== undefined) {
      const key = `project.urls.${hit[0]}`;
      collector.set(field, key, () => asString(collector, key, hit[1]));
      return;
    }
  }
  collector.set(field, `tool.poetry.${poetryKey}`, () =>
    asString(collector, `tool.poetry.${poetryKey}`, poetry[poetryKey]),
  );
}

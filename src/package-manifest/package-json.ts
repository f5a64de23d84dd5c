// hosted-git-info itself in Node.js, a bundle without `require('url')` elsewhere (package.json "imports").
import hostedGitInfo from '#hosted-git-info';
import { isJsonObject } from '../sections/json-object.js';
import { VERSION } from '../version.js';
import {
  type PackageManifestOptions,
  PackageMetadataCollector,
  type PackageMetadata,
  asString,
  asTable,
  joinPeople,
} from './collector.js';

/**
 * Maps a parsed package.json to metadata.
 *
 * As spec manifests.md §4 says: name, version, description, `author` and `contributors` as
 * authors, `license` (or the deprecated forms), `repository` normalized to a browsable URL as
 * npm does (npm's hosted-git-info), `homepage`, and `gitHead` as the revision; without
 * `gitHead`, the revision comes from git (`revisionFromGit`).
 */
export function mapPackageJson(json: unknown, options: PackageManifestOptions = {}): PackageMetadata {
  const collector: PackageMetadataCollector = new PackageMetadataCollector(
    options.file ?? 'package.json',
    options.skip,
  );
  if (!isJsonObject(json)) collector.fail('(top level)', 'expected a JSON object');
  collector.set('name', 'name', () => asString(collector, 'name', json['name']));
  collector.set('version', 'version', () => asString(collector, 'version', json['version']));
  collector.set('description', 'description', () => asString(collector, 'description', json['description']));
  collector.set('authors', 'author', () => {
    const people = [json['author'] === undefined ? '' : person(collector, 'author', json['author'])];
    const contributors = json['contributors'];
    if (contributors !== undefined) {
      if (!Array.isArray(contributors)) collector.fail('contributors', 'expected an array');
      contributors.forEach((c, i) => people.push(person(collector, `contributors[${i}]`, c)));
    }
    return joinPeople(people, ', ');
  });
  // The key in messages is the one the value came from: `license`, or the deprecated `licenses`.
  collector.set(
    'licenses',
    json['license'] === undefined && json['licenses'] !== undefined ? 'licenses' : 'license',
    () => license(collector, json),
  );
  collector.set('source', 'repository', () => repository(collector, json['repository']));
  collector.set('homepage', 'homepage', () => asString(collector, 'homepage', json['homepage']));
  const gitHead = asString(collector, 'gitHead', json['gitHead']);
  collector.set('revision', 'gitHead', () => gitHead);
  collector.producer({ field: 'processed-by', name: 'wasm-meta', version: VERSION });
  return collector.result(gitHead === undefined || gitHead === '');
}

/** A person: the string form as written (trimmed), or `{name, email, url}` as `Name <email> (url)`. */
function person(collector: PackageMetadataCollector, key: string, value: unknown): string {
  if (typeof value === 'string') return value.trim();
  const table = asTable(collector, key, value) as Record<string, unknown>;
  const name = asString(collector, `${key}.name`, table['name'])?.trim() ?? '';
  const email = asString(collector, `${key}.email`, table['email'])?.trim() ?? '';
  const url = asString(collector, `${key}.url`, table['url'])?.trim() ?? '';
  return [name, email === '' ? '' : `<${email}>`, url === '' ? '' : `(${url})`].filter((part) => part !== '').join(' ');
}

function license(collector: PackageMetadataCollector, json: Record<string, unknown>): string | undefined {
  let value: string | undefined;
  let key = 'license';
  const raw = json['license'];
  if (raw !== undefined) {
    // The deprecated object form {"type": "MIT", "url": …}.
    value = isJsonObject(raw) ? asString(collector, 'license.type', raw['type']) : asString(collector, 'license', raw);
  } else if (json['licenses'] !== undefined) {
    key = 'licenses';
    const list = json['licenses'];
    if (!Array.isArray(list)) collector.fail('licenses', 'expected an array of {type} objects');
    const types = list.map((item, i) =>
      asString(
        collector,
        `licenses[${i}].type`,
        (asTable(collector, `licenses[${i}]`, item) as Record<string, unknown>)['type'],
      ),
    );
    value = types.filter((t): t is string => t !== undefined && t !== '').join(' OR ');
  }
  if (value === undefined || value === '') return undefined;
  if (value === 'UNLICENSED' || /^SEE LICEN[CS]E IN /.test(value)) {
    collector.warn(key, `${JSON.stringify(value)} is not an SPDX expression; licenses not written`);
    return undefined;
  }
  return value;
}

/**
 * The repository as a browsable URL, as npm shows it: hosted-git-info's browse URL without
 * committish or directory; for other hosts, an http(s) URL without `git+`, user info and `.git`.
 */
function repository(collector: PackageMetadataCollector, raw: unknown): string | undefined {
  let key = 'repository';
  let value: string | undefined;
  if (isJsonObject(raw)) {
    key = 'repository.url';
    value = asString(collector, key, raw['url']);
  } else {
    value = asString(collector, key, raw);
  }
  if (value === undefined || value.trim() === '') return undefined;
  const hosted = hostedGitInfo.fromUrl(value.trim());
  if (hosted !== undefined) return hosted.browse({ noCommittish: true });
  const plain = value.trim().replace(/^git\+/, '');
  let url: URL | undefined;
  try {
    url = new URL(plain);
  } catch {
    url = undefined;
  }
  if (url === undefined || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
    return collector.fail(key, `${JSON.stringify(value)} is not a repository URL that can be browsed`);
  }
  url.username = '';
  url.password = '';
  url.pathname = url.pathname.replace(/\.git$/, '');
  return url.href;
}

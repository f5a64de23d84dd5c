import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIELDS, OCI_PREFIX } from '../src/fields.js';
import { copySources } from './support/files.js';
import { HANG_MS } from './support/hang.js';
import { splitFences } from './support/markdown.js';
import { REPO_ROOT } from './support/shared.js';
import { missingLines } from './support/transcript.js';

/**
 * The README and docs/ as a reader meets them on a clone: a short README whose quick start is
 * the two commands CI runs, every docs page reachable from it, and no link that leads outside
 * the repository or nowhere.
 */

const README = 'README.md';
const DOCS = readdirSync(join(REPO_ROOT, 'docs'))
  .filter((name) => name.endsWith('.md'))
  .sort()
  .map((name) => `docs/${name}`);
/** The Markdown files whose links are checked, relative to the repository root. */
const CHECKED = [README, ...DOCS];

const read = (file: string): string => readFileSync(join(REPO_ROOT, file), 'utf8');

/** Text outside fenced code blocks, HTML comments and code spans: where links can be. */
function prose(markdown: string): string {
  return splitFences(markdown)
    .text.replace(/<!--[\s\S]*?-->/g, '')
    .replace(/(`+)(?!`)[\s\S]*?[^`]\1(?!`)/g, '');
}

/** GitHub's anchor for a heading (github-slugger): lower case, punctuation dropped, spaces to hyphens. */
function slug(heading: string): string {
  const text = heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1') // links and images: their text
    .replace(/<[^>]+>/g, '') // HTML tags
    .replace(/[`*]/g, ''); // code and emphasis markers
  return text
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
    .replace(/ /g, '-');
}

/** The anchors of a Markdown file's ATX headings, numbered as GitHub numbers repeats. */
function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const line of splitFences(markdown).text.split('\n')) {
    const match = /^ {0,3}#{1,6}\s+(.*?)(?:\s+#+)?\s*$/.exec(line);
    if (!match) continue;
    const base = slug(match[1] ?? '');
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    anchors.add(count === 0 ? base : `${base}-${count}`);
  }
  return anchors;
}

/** Every link target in a Markdown file: inline links and images, reference definitions, HTML. */
function linksOf(markdown: string): { targets: string[]; problems: string[] } {
  const targets: string[] = [];
  const problems: string[] = [];
  const unbracket = (target: string): string => target.replace(/^<|>$/g, '');
  const definitions = new Set<string>();
  // Each kind of link is taken out of the text once found, so that what is left is plain text.
  let text = prose(markdown)
    // Reference definitions: [label]: target
    .replace(/^ {0,3}\[([^\]]+)\]:\s*(<[^>]*>|\S+).*$/gm, (_, label: string, target: string) => {
      definitions.add(label.toLowerCase());
      targets.push(unbracket(target));
      return '';
    })
    // Inline links and images: [text](target "title"), with one level of brackets in the text.
    .replace(
      /(!?\[(?:[^[\]]|\[[^[\]]*\])*\])\(\s*(<[^>]*>|[^\s)]+)(?:\s+(?:"[^"]*"|'[^']*'|\([^)]*\)))?\s*\)/g,
      (_, label: string, target: string) => {
        targets.push(unbracket(target));
        return label;
      },
    )
    // HTML links and images.
    .replace(/<(?:a|img)\b[^>]*?\b(?:href|src)\s*=\s*["']([^"']*)["'][^>]*>/gi, (_, target: string) => {
      targets.push(target);
      return '';
    })
    // Autolinks: <scheme:...>
    .replace(/<([a-z][a-z0-9+.-]*:[^>\s]*)>/gi, (_, target: string) => {
      targets.push(target);
      return '';
    });
  // Full and collapsed references must have a definition: [text][label], [label][].
  text = text.replace(/\[((?:[^[\]]|\[[^[\]]*\])*)\]\[([^\]]*)\]/g, (_, label: string, ref: string) => {
    const name = (ref || label).toLowerCase();
    if (!definitions.has(name)) problems.push(`reference [${name}] has no definition`);
    return label;
  });
  // The bare URLs and e-mail addresses that GitHub turns into links.
  for (const match of text.matchAll(/(?:\b[a-z][a-z0-9+.-]*:\/\/|\bwww\.)[^\s)>\]]+/gi)) {
    problems.push(`bare URL ${match[0].replace(/[.,:;!?]+$/, '')} (GitHub makes it a link out of the repository)`);
  }
  for (const match of text.matchAll(/\b[\w.+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}\b/gi)) {
    problems.push(`bare e-mail address ${match[0]} (GitHub makes it a mailto link)`);
  }
  return { targets, problems };
}

/** Paths under the repository that git ignores (and a clone therefore lacks). */
function ignoredByGit(paths: string[]): Set<string> {
  if (paths.length === 0) return new Set();
  const result = spawnSync('git', ['check-ignore', '--stdin'], { cwd: REPO_ROOT, input: paths.join('\n') });
  // 0: some are ignored; 1: none; anything else: not a git checkout, or no git.
  if (result.status !== 0) return new Set();
  return new Set(result.stdout.toString().split('\n').filter(Boolean));
}

/** What is wrong with the links of one Markdown file, and the repository files it links to. */
function checkLinks(file: string): { problems: string[]; linked: Set<string> } {
  const markdown = read(file);
  const { targets, problems: found } = linksOf(markdown);
  const problems = found.map((problem) => `${file}: ${problem}`);
  const linked = new Set<string>();
  const inRepository: string[] = [];
  for (const target of targets) {
    const say = (problem: string): void => {
      problems.push(`${file}: ${target}: ${problem}`);
    };
    if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('//')) {
      say('points outside the repository (name external things in plain text or code)');
      continue;
    }
    if (target.startsWith('/')) {
      say('is absolute; links must be relative to the file');
      continue;
    }
    const hash = target.indexOf('#');
    const pathPart = hash === -1 ? target : target.slice(0, hash);
    const anchor = hash === -1 ? undefined : decodeURIComponent(target.slice(hash + 1));
    let decoded: string;
    try {
      decoded = decodeURIComponent(pathPart);
    } catch {
      say('is not a valid URL path');
      continue;
    }
    const absolute = decoded === '' ? join(REPO_ROOT, file) : resolve(REPO_ROOT, dirname(file), decoded);
    const fromRoot = relative(REPO_ROOT, absolute);
    if (fromRoot.startsWith('..') || isAbsolute(fromRoot)) {
      say('leaves the repository');
      continue;
    }
    if (!existsSync(absolute)) {
      say('does not exist');
      continue;
    }
    linked.add(fromRoot.split('\\').join('/'));
    inRepository.push(fromRoot);
    if (anchor !== undefined && anchor !== '') {
      if (!absolute.endsWith('.md')) say('has an anchor, but is not a Markdown file');
      else if (!anchorsOf(readFileSync(absolute, 'utf8')).has(anchor)) say(`has no heading for #${anchor}`);
    }
  }
  for (const path of ignoredByGit(inRepository)) problems.push(`${file}: ${path} is ignored by git (a clone lacks it)`);
  return { problems, linked };
}

describe('README', () => {
  const readme = read(README);

  it('has at most 150 lines', () => {
    const lines = readme.endsWith('\n') ? readme.slice(0, -1).split('\n') : readme.split('\n');
    expect(lines.length).toBeLessThanOrEqual(150);
  });

  it('starts its first code block with the two commands: npm start, then npm test (which .ci/run calls)', () => {
    const first = splitFences(readme).fences[0];
    expect(first).toBeDefined();
    const code = first?.lines.join('\n') ?? '';
    expect(code).toContain('npm start');
    expect(code).toContain('npm test');
    expect(read('.ci/run')).toMatch(/^npm test$/m);
  });

  it('links every page of docs/', () => {
    const { linked } = checkLinks(README);
    expect(DOCS.filter((page) => !linked.has(page))).toEqual([]);
  });
});

describe('links in README.md and docs/', () => {
  it.each(CHECKED)('%s: every link is relative, stays in the repository and resolves', (file) => {
    expect(checkLinks(file).problems).toEqual([]);
  });

  it('catches the kinds of broken link it is meant to catch', () => {
    const { targets, problems } = linksOf(
      [
        '[a](https://example.com) ![b](../x.png "t") [c][ref] [d][missing] <https://example.org>',
        'see www.example.net or ana@example.com; `https://in.code` is fine',
        '```sh',
        '[not](a-link.md) https://in.a.fence',
        '```',
        '[ref]: ./docs/cli.md#show',
      ].join('\n'),
    );
    expect(targets).toEqual(['./docs/cli.md#show', 'https://example.com', '../x.png', 'https://example.org']);
    expect(problems).toEqual([
      'reference [missing] has no definition',
      'bare URL www.example.net (GitHub makes it a link out of the repository)',
      'bare e-mail address ana@example.com (GitHub makes it a mailto link)',
    ]);
    expect([...anchorsOf('# A `b` c\n## Show --json additions\n## Show --json additions\n')]).toEqual([
      'a-b-c',
      'show---json-additions',
      'show---json-additions-1',
    ]);
  });
});

describe('docs/metadata.md', () => {
  it('lists every field of the field table, with its section and OCI annotation', () => {
    const section =
      read('docs/metadata.md')
        .split(/^## /m)
        .find((part) => part.startsWith('Fields\n')) ?? '';
    const rows = section.split('\n').filter((line) => line.startsWith('| `'));
    expect(rows.map((row) => /^\| `([^`]+)`/.exec(row)?.[1])).toEqual(FIELDS.map((field) => field.key));
    for (const [index, field] of FIELDS.entries()) {
      const cells = (rows[index] ?? '').split('|').map((cell) => cell.trim());
      if ('section' in field) expect(cells[2]).toContain(`\`${field.section}\``);
      expect(cells[4]).toBe(`\`${field.annotation.slice(OCI_PREFIX.length)}\``);
    }
  });
});

/**
 * `npm start`, as a newcomer runs it on a fresh clone, in a copy of the checkout (its sources,
 * scripts and examples, this checkout's node_modules, and a `.git` file pointing at this
 * repository, so that git HEAD is the same): the copy builds its own dist/, which the other test
 * files, running meanwhile, do not see half-written. TMPDIR is a directory of its own, to see
 * that the demo leaves nothing behind.
 */
describe('npm start', () => {
  const sha256 = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');
  let root: string;
  let checkout: string;
  let temp: string;
  let before: { shipped: string; copy: string };
  let result: { status: number | null; stdout: string; stderr: string };

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'wasm-meta-start-'));
    checkout = join(root, 'checkout');
    temp = join(root, 'tmp');
    mkdirSync(temp);
    for (const path of ['package.json', 'tsconfig.json', 'tsconfig.build.json', 'src', 'scripts', 'bin', 'examples']) {
      copySources(join(REPO_ROOT, path), join(checkout, path));
    }
    symlinkSync(join(REPO_ROOT, 'node_modules'), join(checkout, 'node_modules'));
    const gitDir = spawnSync('git', ['rev-parse', '--absolute-git-dir'], { cwd: REPO_ROOT, encoding: 'utf8' });
    if (gitDir.status === 0) writeFileSync(join(checkout, '.git'), `gitdir: ${gitDir.stdout.trim()}\n`);
    before = {
      shipped: sha256(join(REPO_ROOT, 'examples', 'hello.wasm')),
      copy: sha256(join(checkout, 'examples', 'hello.wasm')),
    };
    // What a newcomer's shell has: none of the npm_* settings of an `npm test` that runs this.
    const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key)));
    const run = spawnSync('npm', ['start'], {
      cwd: checkout,
      env: { ...env, TMPDIR: temp, NO_UPDATE_NOTIFIER: '1', npm_config_update_notifier: 'false' },
      encoding: 'utf8',
      timeout: HANG_MS,
    });
    result = { status: run.status, stdout: run.stdout, stderr: run.stderr };
  });

  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('builds and runs quietly: exit status 0, nothing on standard error', () => {
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(existsSync(join(checkout, 'dist', 'bundle', 'main.js'))).toBe(true);
  });

  it("prints at most 40 lines, npm's own included", () => {
    const lines = result.stdout.replace(/\n$/, '').split('\n');
    expect(lines.length).toBeGreaterThan(10);
    expect(lines.length).toBeLessThanOrEqual(40);
  });

  it('never modifies examples/hello.wasm, and leaves no temporary file behind', () => {
    expect(sha256(join(checkout, 'examples', 'hello.wasm'))).toBe(before.copy);
    expect(sha256(join(REPO_ROOT, 'examples', 'hello.wasm'))).toBe(before.shipped);
    expect(readdirSync(temp)).toEqual([]);
  });

  it('shows the fields of examples/package.json and the org.opencontainers.image.* annotations push would set', () => {
    const manifest = JSON.parse(read('examples/package.json')) as Record<string, unknown> & {
      author: { name: string; email: string };
      repository: { url: string };
    };
    const author = `${manifest.author.name} <${manifest.author.email}>`;
    const source = manifest.repository.url.replace(/^git\+/, '').replace(/\.git$/, '');
    // [the field as add reports it, its annotation, the value]
    const expected: Array<[string, string, string]> = [
      ['name', 'title', manifest['name'] as string],
      ['version', 'version', manifest['version'] as string],
      ['description', 'description', manifest['description'] as string],
      ['licenses', 'licenses', manifest['license'] as string],
      ['authors', 'authors', author],
      ['source', 'source', source],
      ['homepage', 'url', manifest['homepage'] as string],
    ];
    for (const [field, annotation, value] of expected) {
      // add's report of each field it set
      expect(result.stdout).toMatch(new RegExp(`^${field}: set to ${escape(JSON.stringify(value))}$`, 'm'));
      expect(result.stdout).toContain(`"${OCI_PREFIX}${annotation}": ${JSON.stringify(value)}`);
    }
    expect(result.stdout).toContain('$ wasm-meta add $tmp/hello.wasm --in-place --from examples/package.json');
    expect(result.stdout).toContain('$ wasm-meta annotations $tmp/hello.wasm');
  });

  it("matches the README's excerpt of its output", () => {
    const excerpt = splitFences(read(README)).fences.find((fence) => fence.info === 'text');
    expect(excerpt?.lines[0]).toMatch(/^\$ wasm-meta /);
    expect(missingLines(excerpt?.lines ?? [], result.stdout)).toEqual([]);
  });
});

/** `text` as a regular expression that matches it literally. */
function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

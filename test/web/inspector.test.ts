import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { type Browser, type Page, chromium } from 'playwright-core';
import { type PreviewServer, build, preview } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { joinChunks } from '../../src/binary/chunks.js';
import { applyEdit } from '../../src/edit/rewrite.js';
import { binariesOf } from '../../src/metadata.js';
import { sectionsOf } from '../support/wasm.js';
import { readMetadata } from '../../src/read.js';
import { HANG_MS } from '../support/hang.js';
import { REPO_ROOT, SHARED_DIR, sharedAvailable } from '../support/shared.js';

/** Debian's chromium (the package puts it on the PATH); Playwright's own download cannot work here. */
function chromiumPath(): string | undefined {
  const found = spawnSync('sh', ['-c', 'command -v chromium || command -v chromium-browser'], { encoding: 'utf8' });
  const path = found.stdout.trim();
  if (found.status === 0 && path !== '') return path;
  if (process.env['WASM_META_REQUIRE_BROWSER'])
    throw new Error('chromium is required (WASM_META_REQUIRE_BROWSER is set) but not installed');
  console.warn('skipping the web inspector test: chromium (Debian package chromium) is not installed');
  return undefined;
}

const browserPath = chromiumPath();
const runs = browserPath !== undefined && sharedAvailable('the web inspector test');
const CONFIG = join(REPO_ROOT, 'web', 'vite.config.ts');
const COMPONENT = join(SHARED_DIR, 'corpus', 'component-componentize-qjs-hello.wasm');
/** Screenshots are written here as test artifacts. */
const ARTIFACTS = join(REPO_ROOT, 'test-artifacts');

describe.runIf(runs)('the web inspector, in Chromium', () => {
  const outDir = mkdtempSync(join(tmpdir(), 'wasm-meta-web-'));
  let server: PreviewServer;
  let browser: Browser;
  let page: Page;
  let url: string;

  beforeAll(async () => {
    // The static files that `npm run web:build` writes, served as any static host would.
    await build({ configFile: CONFIG, logLevel: 'warn', build: { outDir, emptyOutDir: true } });
    server = await preview({
      configFile: CONFIG,
      logLevel: 'warn',
      build: { outDir },
      preview: { port: 0, host: '127.0.0.1' },
    });
    url = server.resolvedUrls?.local[0] as string;
    browser = await chromium.launch({
      executablePath: browserPath as string,
      args: ['--no-sandbox', '--disable-dev-shm-usage'],
      timeout: HANG_MS,
    });
    page = await browser.newPage({ acceptDownloads: true, viewport: { width: 1280, height: 1100 } });
    // Playwright's waits (actions, navigation, downloads) and vitest's expect.poll (see
    // vitest.config.ts) end as soon as their condition holds; their bounds are on a hang only,
    // so that a busy machine fails nothing.
    page.setDefaultTimeout(HANG_MS);
    page.setDefaultNavigationTimeout(HANG_MS);
    await page.goto(url);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    rmSync(outDir, { recursive: true, force: true });
  });

  it('shows the tree of a corpus component, with sizes to scale and producers', async () => {
    await page.setInputFiles('#file-input', COMPONENT);
    const original = new Uint8Array(readFileSync(COMPONENT));
    const tree = readMetadata(original);
    const binaries = Array.from(binariesOf(tree));

    const items = page.locator('[role="tree"] [role="treeitem"]');
    await expect.poll(() => items.count()).toBe(binaries.length);
    await expect.poll(() => items.nth(0).getAttribute('aria-selected')).toBe('true');
    // The outermost bar fills the track; a nested module's bar is its share of the file.
    const child = binaries[1] as (typeof binaries)[number];
    const share = ((child.range.end - child.range.start) / original.length) * 100;
    const width = await items
      .nth(1)
      .locator('.bar-fill')
      .evaluate((e) => (e as HTMLElement).style.inlineSize);
    expect(Number.parseFloat(width)).toBeCloseTo(share, 1);

    // The keyboard moves the selection to the first binary with producers, which are shown as
    // the library reads them.
    const withProducers = binaries.findIndex((b) => b.producers !== null && b.producers.size > 0);
    expect(withProducers).toBeGreaterThan(0);
    await items.nth(0).focus();
    for (let i = 0; i < withProducers; i++) await page.keyboard.press('ArrowDown');
    await expect.poll(() => items.nth(withProducers).getAttribute('aria-selected')).toBe('true');
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe(`node-${withProducers}`);
    await expect.poll(() => page.locator('#details h3').innerText()).toContain('nested at');
    const producers = (binaries[withProducers] as (typeof binaries)[number]).producers as Map<
      string,
      Map<string, string>
    >;
    const [field, values] = Array.from(producers)[0] as [string, Map<string, string>];
    const [name, version] = Array.from(values)[0] as [string, string];
    const row = page.locator('#details table tbody tr').filter({ hasText: name }).first();
    await expect.poll(() => row.innerText()).toBe([field, name, version].join('\t'));
    await page.keyboard.press('Home');
    await expect.poll(() => items.nth(0).getAttribute('aria-selected')).toBe('true');
  });

  it('says why the annotations are empty, and offers no download before an edit', async () => {
    // The component's outermost binary has no metadata at all: no annotation to show.
    expect(readMetadata(new Uint8Array(readFileSync(COMPONENT))).licenses).toBeNull();
    await expect.poll(() => page.locator('#annotations-empty').innerText()).toMatch(/^None: .*licenses.*form/);
    expect(await page.locator('#annotations-table').count()).toBe(0);
    expect(await page.isDisabled('#download')).toBe(true);
    await expect.poll(() => page.locator('#download-status').innerText()).toMatch(/change a field first/);

    // An edit fills the table and enables the download; undoing it (by hand, or with the button)
    // brings both back.
    await page.fill('#field-vendor', 'ACME');
    await expect.poll(() => page.isDisabled('#download')).toBe(false);
    await expect
      .poll(() => page.locator('#annotations-table').innerText())
      .toContain('org.opencontainers.image.vendor');
    expect(await page.locator('#annotations-empty').count()).toBe(0);
    await page.fill('#field-vendor', '');
    await expect.poll(() => page.isDisabled('#download')).toBe(true);
    await expect.poll(() => page.locator('#annotations-empty').count()).toBe(1);
    await page.fill('#field-vendor', 'ACME');
    await expect.poll(() => page.isDisabled('#download')).toBe(false);
    await page.click('#reset');
    await expect.poll(() => page.isDisabled('#download')).toBe(true);
  });

  it('refuses an invalid licence as the CLI does, and keeps the download disabled', async () => {
    await page.fill('#field-licenses', 'MIT OR (');
    await expect.poll(() => page.getAttribute('#field-licenses', 'aria-invalid')).toBe('true');
    await expect
      .poll(() => page.locator('#field-licenses-error').innerText())
      .toMatch(/is not an SPDX licence expression/);
    expect(await page.isDisabled('#download')).toBe(true);
    // A licence npm would correct is refused with the correction (spdx-correct, in the browser).
    await page.fill('#field-licenses', 'MIT OR GPL-2.0');
    await expect
      .poll(() => page.locator('#field-licenses-error').innerText())
      .toMatch(/"MIT OR GPL-2\.0" is not an SPDX licence expression: .*; did you mean "MIT OR GPL-2\.0-only"\?/);
    expect(await page.isDisabled('#download')).toBe(true);
    await page.click('#reset');
    expect(await page.getAttribute('#field-licenses', 'aria-invalid')).toBeNull();
  });

  it('fills the form from a pasted package.json', async () => {
    await page.click('.prefill summary');
    const manifest = {
      license: 'Apache-2.0',
      repository: 'github:acme/hello',
      author: { name: 'Ada', email: 'a@x.org' },
    };
    await page.fill('#package-json', JSON.stringify(manifest));
    await page.click('#prefill');
    await expect.poll(() => page.inputValue('#field-licenses')).toBe('Apache-2.0');
    // The repository shorthand is expanded as npm does (hosted-git-info, running in the page).
    await expect.poll(() => page.inputValue('#field-source')).toBe('https://github.com/acme/hello');
    await expect.poll(() => page.inputValue('#field-authors')).toBe('Ada <a@x.org>');
    expect(await page.textContent('#prefill-status')).toMatch(/^Filled /);
    await page.click('#reset');
    expect(await page.inputValue('#field-licenses')).toBe('');
    expect(await page.textContent('#prefill-status')).toBe('');
  });

  it('downloads the edited file: the new description, every other byte unchanged', async () => {
    const description = 'Edited in the browser ✓';
    await page.fill('#field-description', description);
    const annotation = page
      .locator('#annotations-table tr')
      .filter({ hasText: 'org.opencontainers.image.description' });
    await expect.poll(() => annotation.innerText()).toBe(`org.opencontainers.image.description\t${description}`);

    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'inspector.png'), fullPage: true });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.screenshot({ path: join(ARTIFACTS, 'inspector-dark.png'), fullPage: true });
    await page.emulateMedia({ colorScheme: 'light' });

    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download')]);
    expect(download.suggestedFilename()).toBe('component-componentize-qjs-hello.wasm');
    const edited = new Uint8Array(readFileSync(await download.path()));
    const original = new Uint8Array(readFileSync(COMPONENT));

    expect(readMetadata(edited).description).toBe(description);
    expect(Buffer.compare(edited, joinChunks(applyEdit(original, { description }).chunks))).toBe(0);
    // Independently: without their description sections, the two files are the same bytes.
    const withoutDescription = (bytes: Uint8Array): Buffer => {
      const kept = sectionsOf(bytes).filter((s) => s.name !== 'description');
      return Buffer.concat([bytes.subarray(0, 8), ...kept.map((s) => bytes.subarray(s.start, s.end))]);
    };
    expect(withoutDescription(edited).equals(withoutDescription(original))).toBe(true);
  });

  it('keeps the download disabled for an edit that leaves every byte as it was', async () => {
    const source = 'https://github.com/acme/hello';
    const bytes = joinChunks(applyEdit(new Uint8Array(readFileSync(COMPONENT)), { source }).chunks);
    await page.setInputFiles('#file-input', {
      name: 'with-source.wasm',
      mimeType: 'application/wasm',
      buffer: Buffer.from(bytes),
    });
    await expect.poll(() => page.inputValue('#field-source')).toBe(source);
    expect(await page.isDisabled('#download')).toBe(true);
    // The same URL spelled otherwise is stored serialized: the same bytes, nothing to download.
    await page.fill('#field-source', 'HTTPS://GitHub.com/acme/hello');
    await expect.poll(() => page.locator('#field-source').getAttribute('aria-invalid')).toBeNull();
    await expect.poll(() => page.locator('#download-status').innerText()).toMatch(/change a field first/);
    expect(await page.isDisabled('#download')).toBe(true);
    await page.fill('#field-source', 'https://github.com/acme/other');
    await expect.poll(() => page.isDisabled('#download')).toBe(false);
  });

  it('builds a site that holds only what the page loads or links to', async () => {
    const files = (readdirSync(outDir, { recursive: true }) as string[])
      .filter((f) => statSync(join(outDir, f)).isFile())
      .map((f) => `/${f.split(sep).join('/')}`);
    expect(files.some((f) => f.endsWith('.wasm'))).toBe(true);
    for (const unused of ['README.md', 'hello.js', 'world.wit'])
      expect(files.filter((f) => f.endsWith(`/${unused}`))).toEqual([]);

    // What a fresh visit that opens the example asks for, and what the page links to.
    const fresh = await browser.newPage();
    fresh.setDefaultTimeout(HANG_MS);
    const requested = new Set<string>();
    fresh.on('request', (request) => requested.add(new URL(request.url()).pathname));
    try {
      await fresh.goto(url);
      await fresh.click('#example');
      await expect.poll(() => fresh.locator('[role="tree"] [role="treeitem"]').count()).toBeGreaterThan(1);
      const linked = await fresh.$$eval('a[href]', (links) =>
        links.map((a) => new URL((a as HTMLAnchorElement).href).pathname),
      );
      const used = new Set([...requested, ...linked].map((path) => (path === '/' ? '/index.html' : path)));
      expect(files.filter((f) => !used.has(f))).toEqual([]);
      // The licence of the example is linked, and served.
      const license = linked.find((path) => path.endsWith('.LICENSE')) as string;
      expect(files).toContain(license);
      expect(await (await fetch(new URL(license, url))).text()).toContain('Apache License');
    } finally {
      await fresh.close();
    }
  });
});

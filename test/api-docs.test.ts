import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { API_DOCS, MAX_SUMMARY, renderApiDocs } from '../scripts/api-docs.mjs';

/** The reference of the entry points, rendered once for the tests that read it. */
const rendered = renderApiDocs();

describe('the API reference, docs/api.md', () => {
  it('documents every export of every entry point with a one-line summary', async () => {
    const { problems } = await rendered;
    expect(problems).toEqual([]);
  });

  it('is what scripts/api-docs.mjs generates from the sources (npm run api-docs)', async () => {
    const { markdown } = await rendered;
    expect(readFileSync(API_DOCS, 'utf8') === markdown, 'docs/api.md is out of date: run npm run api-docs').toBe(true);
    for (const name of ['addMetadataToBytes', 'mapPackageJson', 'annotationsFor', 'addMetadataToFile']) {
      expect(markdown).toContain(`- \`${name}(`);
    }
  });

  it('reports an export without a doc comment, or with a long first sentence, and follows the doc comments', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wasm-meta-api-docs-'));
    try {
      const entry = join(dir, 'entry.ts');
      writeFileSync(
        entry,
        ['// ## Things', "export { documented, undocumented, long } from './things.js';", ''].join('\n'),
      );
      writeFileSync(
        join(dir, 'things.ts'),
        [
          '/** Does one thing. Then details that the reference leaves out. */',
          'export function documented(count: number): string { return String(count); }',
          'export const undocumented = 1;',
          `/** ${'Very '.repeat((MAX_SUMMARY as number) / 5)}long. */`,
          'export type long = string;',
          '',
        ].join('\n'),
      );
      const { markdown, problems } = await renderApiDocs([{ path: entry, module: 'things', summary: 'a test.' }]);
      expect(problems).toEqual([
        'things: undocumented: no doc comment',
        expect.stringMatching(/^things: long: the first sentence has \d+ characters/),
      ]);
      expect(markdown).toContain('### Things');
      expect(markdown).toContain('- `documented(count: number): string`: Does one thing.\n');
      expect(markdown).toContain('- `const undocumented: 1`\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

import type { Plugin as RollupPlugin } from 'rollup';
import type { Plugin as Vite7Plugin, UserConfig as Vite7Config } from 'vite';
import type { Plugin as Vite5Plugin } from 'vite5';
import type { Plugin as Vite6Plugin } from 'vite6';
import { describe, expect, it } from 'vitest';
import wasmMeta, { type WasmMetaPlugin } from '../../src/vite/index.js';

// The plugin's types are declared structurally (src/vite/plugin.ts), so that wasm-meta
// depends on neither Rollup nor Vite. These assignments are checked by `tsc --noEmit` (npm test):
// the plugin object must be a plugin for each of them as their own types say.
const plugin: WasmMetaPlugin = wasmMeta({ from: 'package.json', edit: { vendor: 'ACME' }, files: ['**/*.wasm'] });
const asRollup: RollupPlugin = plugin;
const asVite7: Vite7Plugin = plugin;
const asVite6: Vite6Plugin = plugin;
const asVite5: Vite5Plugin = plugin;
const config: Vite7Config = { plugins: [wasmMeta()] };

describe('the plugin types', () => {
  it('are those of a Rollup 4 and Vite 5, 6 and 7 plugin that builds only', () => {
    for (const typed of [asRollup, asVite7, asVite6, asVite5, config.plugins?.[0]]) {
      expect(typed).toMatchObject({ name: 'wasm-meta', apply: 'build', enforce: 'post' });
    }
  });
});

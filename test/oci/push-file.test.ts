import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ReadStats } from '../../src/node/read-file.js';
import { pullToFile, pushFile } from '../../src/node/oci.js';
import type { RegistryOptions } from '../../src/node/oci-target.js';
import { emptyWkgConfig } from '../../src/oci/wkg-config.js';
import { type TestRegistry, registryAvailable, startRegistry } from '../support/registry.js';
import { custom, leb, module, str } from '../support/wasm.js';

const scratch = mkdtempSync(join(tmpdir(), 'wasm-meta-push-file-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const OPTIONS: RegistryOptions & { progress: false } = {
  env: { DOCKER_CONFIG: join(scratch, 'no-docker'), XDG_CONFIG_HOME: join(scratch, 'no-config') },
  wkgConfig: emptyWkgConfig(),
  progress: false,
};

/** A module of a few megabytes whose metadata sections come after a large custom section. */
function largeModule(): Uint8Array {
  const filler = new Uint8Array(3 * 1024 * 1024 + 12345).fill(0x5a);
  const name = str('filler');
  return Uint8Array.from([
    ...module(),
    0,
    ...leb(name.length + filler.length),
    ...name,
    ...filler,
    ...custom('description', 'Read in the same pass as the digest'),
    ...custom('licenses', 'MIT'),
  ]);
}

/**
 * Bytes this process has read through system calls (`rchar`), as an independent check of the
 * counters: files and sockets alike, so it bounds the file reads from above.
 */
function bytesReadByProcess(): number | undefined {
  if (!existsSync('/proc/self/io')) return undefined;
  return Number(/^rchar: (\d+)$/m.exec(readFileSync('/proc/self/io', 'utf8'))?.[1]);
}

describe.runIf(registryAvailable())('pushFile reads the file once, and once more only to upload it', () => {
  let registry: TestRegistry;
  const bytes = largeModule();
  const path = join(scratch, 'large.wasm');
  beforeAll(async () => {
    writeFileSync(path, bytes);
    registry = await startRegistry();
  });
  afterAll(async () => registry?.stop());

  it('reads the file for the digest and metadata together, then streams it to the registry', async () => {
    const stats: ReadStats = { fileSize: 0, bytesRead: 0, reads: 0 };
    const before = bytesReadByProcess();
    const result = await pushFile(path, `${registry.host}/acme/once:1.0.0`, OPTIONS, stats);
    const after = bytesReadByProcess();
    expect(stats.fileSize).toBe(bytes.length);
    expect(stats.bytesRead).toBe(2 * bytes.length);
    if (before !== undefined && after !== undefined) expect(after - before).toBeLessThan(2.2 * bytes.length);
    expect(result.skipped).toEqual([]);
    expect(result.annotations).toMatchObject({
      'org.opencontainers.image.description': 'Read in the same pass as the digest',
      'org.opencontainers.image.licenses': 'MIT',
    });
    const layerDigest = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
    expect(JSON.parse(result.imageManifest).layers[0].digest).toBe(layerDigest);
    const out = join(scratch, 'pulled.wasm');
    await pullToFile(`${registry.host}/acme/once:1.0.0`, { ...OPTIONS, output: out, verify: true });
    expect(readFileSync(out).equals(Buffer.from(bytes))).toBe(true);
  });

  it('reads the file exactly once when the registry already has the layer', async () => {
    await pushFile(path, `${registry.host}/acme/again:1.0.0`, OPTIONS);
    const stats: ReadStats = { fileSize: 0, bytesRead: 0, reads: 0 };
    const before = bytesReadByProcess();
    const result = await pushFile(path, `${registry.host}/acme/again:1.0.1`, OPTIONS, stats);
    const after = bytesReadByProcess();
    expect(result.skipped).toHaveLength(2);
    expect(stats.bytesRead).toBe(bytes.length);
    if (before !== undefined && after !== undefined) expect(after - before).toBeLessThan(1.2 * bytes.length);
    // 1 MiB reads: the whole file in four.
    expect(stats.reads).toBe(Math.ceil(bytes.length / (1024 * 1024)));
  });
});

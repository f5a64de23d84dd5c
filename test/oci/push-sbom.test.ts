import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Spec, Validation } from '@cyclonedx/cyclonedx-library';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliResult, runCli } from '../support/cli.js';
import { type TestRegistry, registryAvailable, startRegistry } from '../support/registry.js';
import { REPO_ROOT } from '../support/shared.js';

/**
 * `push --sbom` then `referrers`, as users run them, against a real registry (distribution 2.8,
 * which has no referrers API, so the SBOM is listed through the referrers tag). The attached
 * document is fetched back over the distribution API and validated against CycloneDX 1.6.
 */

const scratch = mkdtempSync(join(tmpdir(), 'wasm-meta-push-sbom-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const CYCLONEDX = 'application/vnd.cyclonedx+json';
const CREATED = '2026-01-01T00:00:00Z';
const component = join(scratch, 'hello.wasm');
writeFileSync(component, readFileSync(join(REPO_ROOT, 'examples', 'hello.wasm')));

function wasmMeta(...args: string[]): CliResult {
  const env: NodeJS.ProcessEnv = { ...process.env, DOCKER_CONFIG: join(scratch, 'docker') };
  delete env['SOURCE_DATE_EPOCH'];
  return runCli(args, { env });
}

interface PushedWithSbom {
  digest: string;
  sbom: { artifactType: string; digest: string; layer: { digest: string; size: number }; listing: unknown };
}

describe.runIf(registryAvailable())('push --sbom on a real registry', () => {
  let registry: TestRegistry;
  let ref: string;
  let pushed: PushedWithSbom;
  beforeAll(async () => {
    registry = await startRegistry();
    ref = `${registry.host}/acme/hello:0.1.0`;
    const result = wasmMeta('push', component, ref, '--sbom', '--created', CREATED, '--json');
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    pushed = JSON.parse(result.stdout) as PushedWithSbom;
  });
  afterAll(async () => registry?.stop());

  it('attaches the SBOM that `wasm-meta sbom` makes of the file, and it validates against CycloneDX 1.6', async () => {
    expect(pushed.sbom).toMatchObject({
      artifactType: CYCLONEDX,
      listing: { tag: `sha256-${pushed.digest.slice('sha256:'.length)}`, alreadyListed: false },
    });
    const response = await fetch(`${registry.url}/v2/acme/hello/blobs/${pushed.sbom.layer.digest}`);
    expect(response.status).toBe(200);
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect(`sha256:${createHash('sha256').update(bytes).digest('hex')}`).toBe(pushed.sbom.layer.digest);
    // The same document as the sbom command's, with the push's created time as its timestamp.
    const local = wasmMeta('sbom', component, '--created', CREATED);
    expect(local.status).toBe(0);
    expect(new TextDecoder().decode(bytes)).toBe(local.stdout);
    const validator = new Validation.JsonStrictValidator(Spec.Version.v1dot6);
    expect(await validator.validate(local.stdout)).toBeNull();
    expect(JSON.parse(local.stdout)).toMatchObject({ metadata: { timestamp: CREATED } });
  });

  it('is listed by referrers and counted by inspect; pushing again lists it once', () => {
    const again = wasmMeta('push', component, ref, '--sbom', '--created', CREATED, '--json');
    expect(again.status).toBe(0);
    const second = JSON.parse(again.stdout) as PushedWithSbom;
    expect(second.digest).toBe(pushed.digest);
    expect(second.sbom.digest).toBe(pushed.sbom.digest);
    expect(second.sbom.listing).toMatchObject({ alreadyListed: true });

    const listed = wasmMeta('referrers', ref, '--json');
    expect(listed.status).toBe(0);
    const referrers = (JSON.parse(listed.stdout) as { referrers: { artifactType: string; digest: string }[] })
      .referrers;
    expect(referrers).toEqual([expect.objectContaining({ artifactType: CYCLONEDX, digest: pushed.sbom.digest })]);

    const inspected = wasmMeta('inspect', ref, '--json');
    expect(inspected.status).toBe(0);
    expect(JSON.parse(inspected.stdout)).toMatchObject({ referrers: 1 });
  });

  it('says so in its text output, and attaches nothing without --sbom', () => {
    const text = wasmMeta('push', component, `${registry.host}/acme/other:0.1.0`, '--sbom');
    expect(text.status).toBe(0);
    expect(text.stdout).toMatch(
      /^pushed .*\ndigest sha256:[0-9a-f]{64}\nsbom sha256:[0-9a-f]{64} \(application\/vnd\.cyclonedx\+json\)\n$/,
    );
    const plain = wasmMeta('push', component, `${registry.host}/acme/plain:0.1.0`, '--json');
    expect(plain.status).toBe(0);
    expect(JSON.parse(plain.stdout)).not.toHaveProperty('sbom');
    const none = wasmMeta('referrers', `${registry.host}/acme/plain:0.1.0`, '--json');
    expect((JSON.parse(none.stdout) as { referrers: unknown[] }).referrers).toEqual([]);
  });
});

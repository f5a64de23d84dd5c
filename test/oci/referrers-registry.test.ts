import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeSha256 } from '../../src/node/sha256.js';
import { attachArtifact, listReferrers, subjectDescriptor } from '../../src/oci/referrers.js';
import { RegistryClient } from '../../src/oci/registry-client.js';
import { Repository } from '../../src/oci/repository.js';
import { type CliResult, runCli } from '../support/cli.js';
import { isolatedEnvIn } from '../support/env.js';
import { HANG_MS } from '../support/hang.js';
import { type TestRegistry, registryAvailable, skopeoAvailable, startRegistry } from '../support/registry.js';
import { REPO_ROOT } from '../support/shared.js';

/**
 * `attach`, `referrers` and the count in `inspect`, run as users run them, against a real
 * registry: distribution 2.8, which has no referrers API (it answers 404), so that every test
 * here goes through the referrers tag schema of distribution-spec 1.1. skopeo reads what was
 * pushed independently. The referrers API itself is tested in referrers.test.ts.
 */

const scratch = mkdtempSync(join(tmpdir(), 'wasm-meta-referrers-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const sha256 = (bytes: Uint8Array | string): string => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
const INDEX = 'application/vnd.oci.image.index.v1+json';
const MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const CYCLONEDX = 'application/vnd.cyclonedx+json';
const EMPTY = {
  mediaType: 'application/vnd.oci.empty.v1+json',
  digest: 'sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a',
  size: 2,
};

/** An environment without the user's credentials and configuration (test/support/env.ts). */
const isolatedEnv = (extra: Record<string, string> = {}): NodeJS.ProcessEnv => isolatedEnvIn(scratch, extra).env;

const wasmMeta = (...args: string[]): CliResult => runCli(args, { env: isolatedEnv() });

function skopeoRaw(reference: string): string {
  const result = spawnSync('skopeo', ['inspect', '--raw', '--tls-verify=false', `docker://${reference}`], {
    encoding: 'utf8',
    timeout: HANG_MS,
  });
  if (result.status !== 0) throw new Error(`skopeo inspect ${reference}: ${result.stderr}`);
  return result.stdout;
}

function skopeoTags(repository: string): string[] {
  const result = spawnSync('skopeo', ['list-tags', '--tls-verify=false', `docker://${repository}`], {
    encoding: 'utf8',
    timeout: HANG_MS,
  });
  if (result.status !== 0) throw new Error(`skopeo list-tags ${repository}: ${result.stderr}`);
  return (JSON.parse(result.stdout) as { Tags: string[] }).Tags;
}

const component = join(scratch, 'hello.wasm');
writeFileSync(component, readFileSync(join(REPO_ROOT, 'examples', 'hello.wasm')));
const sbomBytes = '{"bomFormat":"CycloneDX","specVersion":"1.6","version":1}\n';
const sbom = join(scratch, 'sbom.cdx.json');
writeFileSync(sbom, sbomBytes);
const notesBytes = 'reviewed by Ana\n';
const notes = join(scratch, 'notes.txt');
writeFileSync(notes, notesBytes);

describe.runIf(registryAvailable() && skopeoAvailable())('referrers on a real registry without the API', () => {
  let registry: TestRegistry;
  let ref: string;
  let subject: string;
  beforeAll(async () => {
    registry = await startRegistry();
    ref = `${registry.host}/acme/hello:0.1.0`;
    const pushed = wasmMeta('push', component, ref, '--json');
    expect(pushed.status).toBe(0);
    subject = JSON.parse(pushed.stdout).digest as string;
  });
  afterAll(async () => registry?.stop());

  it('attaches two files of different types, and lists both through the referrers tag, as the spec lays it out', () => {
    const first = wasmMeta('attach', ref, sbom, '--artifact-type', CYCLONEDX, '--annotation', 'com.acme.kind=sbom');
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    const tag = `sha256-${subject.slice('sha256:'.length)}`;
    expect(first.stdout).toMatch(
      new RegExp(
        `^attached ${sbom} to ${ref}@${subject}\\ndigest (sha256:[0-9a-f]{64})\\nlisted in the referrers tag ${tag}\\n$`,
      ),
    );
    const sbomDigest = /digest (\S+)/.exec(first.stdout)?.[1] as string;
    const second = wasmMeta('attach', ref, notes, '--artifact-type', 'text/plain', '--json');
    expect(second.status).toBe(0);
    const notesResult = JSON.parse(second.stdout);

    // The attached artifact's image manifest, as skopeo reads it: oras's layout with the subject.
    const sbomRaw = skopeoRaw(`${registry.host}/acme/hello@${sbomDigest}`);
    expect(sha256(sbomRaw)).toBe(sbomDigest);
    const subjectRaw = skopeoRaw(ref);
    expect(JSON.parse(sbomRaw)).toEqual({
      schemaVersion: 2,
      mediaType: MANIFEST,
      artifactType: CYCLONEDX,
      config: EMPTY,
      layers: [
        {
          mediaType: CYCLONEDX,
          digest: sha256(sbomBytes),
          size: sbomBytes.length,
          annotations: { 'org.opencontainers.image.title': 'sbom.cdx.json' },
        },
      ],
      subject: { mediaType: MANIFEST, digest: subject, size: Buffer.byteLength(subjectRaw) },
      annotations: { 'com.acme.kind': 'sbom' },
    });
    expect(Object.keys(JSON.parse(sbomRaw))).toEqual([
      'schemaVersion',
      'mediaType',
      'artifactType',
      'config',
      'layers',
      'subject',
      'annotations',
    ]);
    const notesRaw = skopeoRaw(`${registry.host}/acme/hello@${notesResult.digest}`);
    expect(notesResult.manifest).toEqual(JSON.parse(notesRaw));
    expect(notesResult).toMatchObject({
      file: notes,
      reference: `${registry.host}/acme/hello@${notesResult.digest}`,
      artifactType: 'text/plain',
      size: notesBytes.length,
      layer: { mediaType: 'text/plain', digest: sha256(notesBytes), size: notesBytes.length },
      annotations: {},
      subject: { reference: `${ref}@${subject}`, mediaType: MANIFEST, digest: subject },
      listing: { tag, alreadyListed: false },
    });

    // The referrers tag holds exactly the image index distribution-spec 1.1 describes.
    const indexRaw = skopeoRaw(`${registry.host}/acme/hello:${tag}`);
    expect(JSON.parse(indexRaw)).toEqual({
      schemaVersion: 2,
      mediaType: INDEX,
      manifests: [
        {
          mediaType: MANIFEST,
          digest: sbomDigest,
          size: Buffer.byteLength(sbomRaw),
          annotations: { 'com.acme.kind': 'sbom' },
          artifactType: CYCLONEDX,
        },
        {
          mediaType: MANIFEST,
          digest: notesResult.digest,
          size: Buffer.byteLength(notesRaw),
          artifactType: 'text/plain',
        },
      ],
    });

    // `referrers` lists both, with type, digest, size and annotations.
    const listed = wasmMeta('referrers', ref, '--json');
    expect(listed.status).toBe(0);
    expect(JSON.parse(listed.stdout)).toEqual({
      reference: `${ref}@${subject}`,
      digest: subject,
      subject: {
        reference: `${ref}@${subject}`,
        mediaType: MANIFEST,
        digest: subject,
        size: Buffer.byteLength(subjectRaw),
      },
      referrers: JSON.parse(indexRaw).manifests,
      source: { tag },
    });
    const table = wasmMeta('referrers', ref);
    expect(table.status).toBe(0);
    expect(table.stdout).toMatch(new RegExp(`^${ref}@${subject}: 2 referrers \\(from the referrers tag ${tag}\\)\\n`));
    expect(table.stdout).toMatch(
      new RegExp(`│ ${CYCLONEDX.replace(/[+.]/g, '\\$&')} .*${sbomDigest} .*com\\.acme\\.kind=sbom`),
    );
    expect(table.stdout).toMatch(new RegExp(`│ text/plain .*${notesResult.digest}`));

    // --artifact-type keeps one of them.
    const filtered = JSON.parse(wasmMeta('referrers', ref, '--artifact-type', 'text/plain', '--json').stdout);
    expect(filtered.referrers.map((r: { digest: string }) => r.digest)).toEqual([notesResult.digest]);
    expect(
      JSON.parse(wasmMeta('referrers', ref, '--artifact-type', 'application/x-none', '--json').stdout).referrers,
    ).toEqual([]);

    // inspect counts them, in the table and in JSON.
    expect(JSON.parse(wasmMeta('inspect', ref, '--json').stdout).referrers).toBe(2);
    expect(wasmMeta('inspect', ref).stdout).toMatch(/│ referrers +┆ 2 +│/);
  });

  it('lists the same file attached again only once', () => {
    const repo = `${registry.host}/acme/twice:1.0.0`;
    expect(wasmMeta('push', component, repo).status).toBe(0);
    const first = wasmMeta('attach', repo, sbom, '--artifact-type', CYCLONEDX);
    const again = wasmMeta('attach', repo, sbom, '--artifact-type', CYCLONEDX);
    expect(again.status).toBe(0);
    const digest = (result: CliResult): string => /digest (\S+)/.exec(result.stdout)?.[1] as string;
    expect(digest(again)).toBe(digest(first));
    expect(first.stdout).not.toContain('already there');
    expect(again.stdout).toMatch(/\(already there\)\n$/);
    const listed = JSON.parse(wasmMeta('referrers', repo, '--json').stdout);
    expect(listed.referrers.map((r: { digest: string }) => r.digest)).toEqual([digest(first)]);
    // A different annotation is a different artifact: listed beside the first.
    expect(wasmMeta('attach', repo, sbom, '--artifact-type', CYCLONEDX, '--annotation', 'k=v').status).toBe(0);
    expect(JSON.parse(wasmMeta('referrers', repo, '--json').stdout).referrers).toHaveLength(2);
  });

  it('attaches to a digest, and counts nothing for a component with nothing attached', () => {
    const repo = `${registry.host}/acme/bydigest`;
    const pushed = JSON.parse(wasmMeta('push', component, `${repo}:2.0.0`, '--json').stdout);
    expect(JSON.parse(wasmMeta('inspect', `${repo}:2.0.0`, '--json').stdout).referrers).toBe(0);
    expect(wasmMeta('referrers', `${repo}:2.0.0`).stdout).toBe(
      `${repo}:2.0.0@${pushed.digest}: 0 referrers (from the referrers tag sha256-${pushed.digest.slice(7)})\n`,
    );
    const attached = wasmMeta(
      'attach',
      `${repo}@${pushed.digest}`,
      notes,
      '--artifact-type',
      'application/vnd.acme.review',
      '--media-type',
      'text/plain',
      '--json',
    );
    expect(attached.status).toBe(0);
    expect(JSON.parse(attached.stdout)).toMatchObject({
      artifactType: 'application/vnd.acme.review',
      layer: { mediaType: 'text/plain' },
      manifest: { artifactType: 'application/vnd.acme.review', layers: [{ mediaType: 'text/plain' }] },
      subject: { reference: `${repo}@${pushed.digest}`, digest: pushed.digest },
    });
    expect(JSON.parse(wasmMeta('referrers', `${repo}@${pushed.digest}`, '--json').stdout).referrers).toHaveLength(1);
    expect(JSON.parse(wasmMeta('inspect', `${repo}:2.0.0`, '--json').stdout).referrers).toBe(1);
  });

  it('refuses a subject that does not exist, a bad artifact type or none, and pushes nothing', () => {
    const missing = wasmMeta('attach', `${registry.host}/acme/hello:9.9.9`, sbom, '--artifact-type', CYCLONEDX);
    expect(missing.status).toBe(5);
    expect(missing.stderr).toMatch(/the tag 9\.9\.9 of acme\/hello was not found \(MANIFEST_UNKNOWN\)/);
    const badType = wasmMeta('attach', ref, sbom, '--artifact-type', 'cyclonedx');
    expect(badType.status).toBe(1);
    expect(badType.stderr).toMatch(/the artifact type "cyclonedx" is not a media type/);
    const noType = wasmMeta('attach', ref, sbom);
    expect(noType.status).toBe(2);
    expect(noType.stderr).toMatch(/--artifact-type is required/);
    const noFile = wasmMeta('attach', ref, join(scratch, 'absent.json'), '--artifact-type', CYCLONEDX);
    expect(noFile.status).toBe(1);
    expect(noFile.stderr).toMatch(/absent\.json: no such file/);
    const listMissing = wasmMeta('referrers', `${registry.host}/acme/hello:9.9.9`);
    expect(listMissing.status).toBe(5);
    // Only the tags of the first test: the component's, and its one referrers tag.
    expect(skopeoTags(`${registry.host}/acme/hello`).sort()).toEqual(['0.1.0', `sha256-${subject.slice(7)}`]);
  });

  it('attaches bytes held in memory through the library, as push --sbom will', async () => {
    const client = new RegistryClient({ registry: registry.host, apiHost: registry.host, plainHttp: true });
    const repository = new Repository(client, 'acme/library', { sha256: nodeSha256, push: true });
    expect(wasmMeta('push', component, `${registry.host}/acme/library:1.0.0`).status).toBe(0);
    const target = await subjectDescriptor(repository, '1.0.0');
    const bytes = new TextEncoder().encode(sbomBytes);
    const attached = await attachArtifact(repository, target, bytes, {
      artifactType: CYCLONEDX,
      title: 'hello.cdx.json',
    });
    expect(attached.listing).toEqual({ tag: `sha256-${target.digest.slice(7)}`, alreadyListed: false });
    expect(attached.layer).toEqual({
      mediaType: CYCLONEDX,
      digest: sha256(bytes),
      size: bytes.length,
      annotations: { 'org.opencontainers.image.title': 'hello.cdx.json' },
    });
    const list = await listReferrers(repository, target.digest);
    expect(list.source).toEqual({ tag: `sha256-${target.digest.slice(7)}` });
    expect(list.referrers).toEqual([
      { mediaType: MANIFEST, digest: attached.digest, size: attached.manifest.bytes.length, artifactType: CYCLONEDX },
    ]);
    // The empty config is the two bytes `{}`.
    const empty = await repository.fetchBlob(EMPTY);
    expect(new TextDecoder().decode(empty)).toBe('{}');
  });
});

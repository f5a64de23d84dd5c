import { WasmMetaError } from '../errors.js';
import { type Annotations, sortKeys } from './annotations.js';
import { isDigest } from './digest.js';

/** Media types of the Wasm OCI artifact layout. */
export const MEDIA_TYPE = {
  imageManifest: 'application/vnd.oci.image.manifest.v1+json',
  imageIndex: 'application/vnd.oci.image.index.v1+json',
  dockerImageManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerManifestList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  config: 'application/vnd.wasm.config.v0+json',
  wasm: 'application/wasm',
  /** wasmCloud's deprecated layer type, accepted on pull with a warning. */
  legacyWasm: 'application/vnd.module.wasm.content.layer.v1+wasm',
} as const;

/** A content descriptor. */
export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  annotations?: Annotations;
}

/** The values of a Wasm config blob (spec oci.md §2.2). */
export interface WasmConfig {
  created: string;
  author: string | null;
  os: 'wasip1' | 'wasip2';
  layerDigests: string[];
  component: { exports: string[]; imports: string[] } | null;
}

/** The config blob, compact, keys in the order oci-wasm writes them. */
export function serializeConfig(config: WasmConfig): string {
  const component =
    config.component === null
      ? 'null'
      : `{"exports":${JSON.stringify(config.component.exports)},"imports":${JSON.stringify(config.component.imports)},"target":null}`;
  return (
    `{"created":${JSON.stringify(config.created)},"author":${JSON.stringify(config.author)},"architecture":"wasm",` +
    `"os":${JSON.stringify(config.os)},"layerDigests":${JSON.stringify(config.layerDigests)},"component":${component}}`
  );
}

/**
 * The image manifest, compact, keys in a fixed order (`schemaVersion`, `mediaType`, `config`,
 * `layers`, `annotations`; descriptors `mediaType`, `digest`, `size`, `annotations`) and
 * annotation keys sorted, so that the same inputs always give the same digest.
 */
export function serializeImageManifest(config: Descriptor, layer: Descriptor, annotations: Annotations): string {
  const imageManifestAnnotations =
    Object.keys(annotations).length > 0 ? `,"annotations":${JSON.stringify(sortKeys(annotations))}` : '';
  return (
    `{"schemaVersion":2,"mediaType":${JSON.stringify(MEDIA_TYPE.imageManifest)},"config":${descriptor(config)},` +
    `"layers":[${descriptor(layer)}]${imageManifestAnnotations}}`
  );
}

function descriptor(d: Descriptor): string {
  const annotations =
    d.annotations !== undefined && Object.keys(d.annotations).length > 0
      ? `,"annotations":${JSON.stringify(sortKeys(d.annotations))}`
      : '';
  return `{"mediaType":${JSON.stringify(d.mediaType)},"digest":${JSON.stringify(d.digest)},"size":${d.size}${annotations}}`;
}

/** A pulled image manifest that describes a Wasm artifact. */
export interface WasmImageManifest {
  config: Descriptor;
  layer: Descriptor;
  annotations: Annotations;
  /** Problems that do not stop a pull (a deprecated layer type). */
  warnings: string[];
}

/**
 * Checks a pulled image manifest (spec oci.md §2.4): an OCI image manifest (not an index), the Wasm
 * config type, and exactly one Wasm layer. Throws a `WasmMetaError` (`invalid-artifact`).
 */
export function parseWasmImageManifest(bytes: Uint8Array, contentType: string | null): WasmImageManifest {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    throw invalidArtifact('the image manifest is not JSON');
  }
  if (!isObject(json)) throw invalidArtifact('the image manifest is not a JSON object');
  const mediaType = json['mediaType'];
  if (mediaType === MEDIA_TYPE.imageIndex || mediaType === MEDIA_TYPE.dockerManifestList) {
    throw invalidArtifact('the reference names an image index (several platforms), not a single Wasm artifact');
  }
  if (mediaType !== MEDIA_TYPE.imageManifest) {
    throw invalidArtifact(
      `the image manifest's media type is ${JSON.stringify(mediaType ?? null)}, not ${MEDIA_TYPE.imageManifest}`,
    );
  }
  const baseContentType = contentType?.split(';')[0]?.trim();
  if (baseContentType !== undefined && baseContentType !== '' && baseContentType !== mediaType) {
    throw invalidArtifact(`the registry sent the image manifest as ${baseContentType}, but it says it is ${mediaType}`);
  }
  const config = toDescriptor(json['config'], 'config');
  if (config.mediaType !== MEDIA_TYPE.config) {
    throw invalidArtifact(
      `the config media type is ${config.mediaType}, not ${MEDIA_TYPE.config}: this is not a Wasm artifact`,
    );
  }
  const layers = json['layers'];
  if (!Array.isArray(layers) || layers.length !== 1) {
    throw invalidArtifact(
      `a Wasm artifact has exactly one layer; this one has ${Array.isArray(layers) ? layers.length : 'none'}`,
    );
  }
  const layer = toDescriptor(layers[0], 'layers[0]');
  const warnings: string[] = [];
  if (layer.mediaType === MEDIA_TYPE.legacyWasm) {
    warnings.push(`the layer has wasmCloud's deprecated media type ${MEDIA_TYPE.legacyWasm}`);
  } else if (layer.mediaType !== MEDIA_TYPE.wasm) {
    throw invalidArtifact(`the layer media type is ${layer.mediaType}, not ${MEDIA_TYPE.wasm}`);
  }
  const annotations = json['annotations'] === undefined ? {} : toAnnotations(json['annotations'], 'annotations');
  return { config, layer, annotations, warnings };
}

/**
 * Checks a pulled config blob's `layerDigests` against the image manifest's layers, which
 * oci-wasm writes and wkg relies on: a list that names other layers (or the same in another
 * order) is a `digest-mismatch`, one that is not a list of digests an `invalid-artifact`. A
 * config without `layerDigests` (an artifact pushed by hand with a minimal config) claims
 * nothing and passes.
 */
export function checkLayerDigests(config: Uint8Array, layers: readonly Descriptor[]): void {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(config));
  } catch {
    throw invalidArtifact('the config blob is not JSON');
  }
  if (!isObject(json)) throw invalidArtifact('the config blob is not a JSON object');
  const listed = json['layerDigests'];
  if (listed === undefined) return;
  if (!Array.isArray(listed) || !listed.every((d) => typeof d === 'string' && isDigest(d))) {
    throw invalidArtifact("the config's layerDigests is not a list of sha256 digests");
  }
  const actual = layers.map((layer) => layer.digest);
  if (listed.length !== actual.length || listed.some((digest, i) => digest !== actual[i])) {
    throw new WasmMetaError(
      'digest-mismatch',
      `the config lists the layers ${listed.join(', ') || '(none)'}, but the image manifest has ${actual.join(', ')}`,
    );
  }
}

function toDescriptor(value: unknown, at: string): Descriptor {
  if (!isObject(value)) throw invalidArtifact(`${at} is not a descriptor`);
  const { mediaType, digest, size } = value;
  if (typeof mediaType !== 'string') throw invalidArtifact(`${at}.mediaType is missing`);
  if (typeof digest !== 'string' || !isDigest(digest)) throw invalidArtifact(`${at}.digest is not a sha256 digest`);
  if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0)
    throw invalidArtifact(`${at}.size is not a size`);
  const out: Descriptor = { mediaType, digest, size };
  if (value['annotations'] !== undefined) out.annotations = toAnnotations(value['annotations'], `${at}.annotations`);
  return out;
}

function toAnnotations(value: unknown, at: string): Annotations {
  if (!isObject(value) || !Object.values(value).every((v) => typeof v === 'string')) {
    throw invalidArtifact(`${at} is not a map of strings`);
  }
  return value as Annotations;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function invalidArtifact(message: string): WasmMetaError {
  return new WasmMetaError('invalid-artifact', message);
}

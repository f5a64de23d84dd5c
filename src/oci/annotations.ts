import { WasmMetaError } from '../errors.js';
import { FIELDS, type FieldSpec, annotationOf } from '../fields.js';
import type { WasmBinary } from '../metadata.js';
import { COMPONENT_NAME_SECTION, NAME_SECTION } from '../sections/names.js';
import { checkValue } from '../values/check.js';
import { canonicalDateTime } from '../values/date-time.js';
import { isSemver } from '../values/semver.js';

/** Annotations: an ordered string-to-string map (keys are sorted when serialized). */
export type Annotations = Record<string, string>;

/** The fields by the annotation each one fills (the field table's `annotation`). */
const FIELD_OF_ANNOTATION: ReadonlyMap<string, FieldSpec> = new Map(FIELDS.map((field) => [field.annotation, field]));

/** Annotations given by the user: `--annotation` values and an oras-style annotation file. */
export interface ExplicitAnnotations {
  /** `--annotation KEY=VALUE` pairs, in order (image manifest annotations). */
  imageManifest?: ReadonlyArray<[string, string]>;
  /** A parsed annotation file: `$manifest`, `$config` and layer-title keys. */
  file?: unknown;
}

/** Options of {@link annotationsFor}; every one may be left out. */
export interface AnnotationOptions {
  /**
   * The file name the layer gets (`hello.wasm`), as its `title` annotation and the key of its
   * section in an annotation file; without it the layer gets no title.
   */
  layerTitle?: string | undefined;
  /** The tag pushed to, for a SemVer `version` when the binary has none. */
  tag?: string | undefined;
  /** Explicit annotations (levels 1 and 2 of the precedence). */
  explicit?: ExplicitAnnotations | undefined;
  /** `SOURCE_DATE_EPOCH`, as given in the environment (level 4 `created`). */
  sourceDateEpoch?: string | undefined;
  /** Fail on a metadata section that failed validation, instead of skipping it with a warning. */
  strict?: boolean | undefined;
}

/** The annotations of a push: on the image manifest, the config descriptor and the layer. */
export interface ArtifactAnnotations {
  /** The image manifest's annotations: where registries show a package's metadata. */
  imageManifest: Annotations;
  /** The config descriptor's annotations (from an annotation file's `$config` only). */
  config: Annotations;
  /** The layer descriptor's annotations: its `title` and an annotation file's layer keys. */
  layer: Annotations;
  /** Problems that did not stop the push. */
  warnings: string[];
}

/**
 * The OCI annotations of a binary read with `readMetadata`, as `wasm-meta push` sets them.
 *
 * As spec oci.md §3 and §4 say, for each key the first source that gives a value wins —
 * `explicit.imageManifest` (`--annotation`), then the annotation file, then the metadata sections,
 * then derived values (version from a SemVer tag, created from `SOURCE_DATE_EPOCH`, the layer
 * title). Explicit values are validated (`created` RFC 3339, `licenses` SPDX, URLs absolute); an
 * invalid one is a `WasmMetaError` (`invalid-annotation`). `created` is written in canonical
 * RFC 3339 UTC (`2026-01-01T00:00:00Z`) whatever its source.
 */
export function annotationsFor(binary: WasmBinary, options: AnnotationOptions = {}): ArtifactAnnotations {
  const warnings: string[] = [];
  const imageManifest: Annotations = {};
  const config: Annotations = {};
  const layer: Annotations = {};

  // Level 1: --annotation.
  for (const [key, value] of options.explicit?.imageManifest ?? []) {
    if (key in imageManifest) throw invalid(`--annotation ${key} is given twice`);
    imageManifest[key] = checkExplicit(key, value, '--annotation');
  }
  // Level 2: the annotation file.
  const file = parseAnnotationFile(options.explicit?.file, options.layerTitle);
  for (const [key, value] of Object.entries(file.imageManifest))
    if (!(key in imageManifest)) imageManifest[key] = checkExplicit(key, value, 'the annotation file');
  for (const [key, value] of Object.entries(file.config))
    config[key] = checkExplicit(key, value, 'the annotation file');
  for (const [key, value] of Object.entries(file.layer)) layer[key] = checkExplicit(key, value, 'the annotation file');

  // Level 3: the metadata sections.
  for (const field of FIELDS) {
    const key = field.annotation;
    const sections = field.codec === 'name' ? [NAME_SECTION, COMPONENT_NAME_SECTION] : [field.section];
    const problem = binary.diagnostics.find((d) => sections.includes(d.section))?.message;
    if (problem !== undefined) {
      const message = `the ${field.codec === 'name' ? 'name' : field.section} section is invalid (${problem}); ${key} not set from it`;
      if (options.strict) throw new WasmMetaError('invalid-metadata', message);
      warnings.push(message);
    }
    const value = binary[field.key];
    if (value !== null && !(key in imageManifest)) imageManifest[key] = value;
  }

  // Level 4: derived values.
  const tag = options.tag;
  if (tag !== undefined && isSemver(tag)) {
    if (!(annotationOf('version') in imageManifest)) imageManifest[annotationOf('version')] = tag;
    else if (binary.version !== null && binary.version !== tag) {
      warnings.push(`the version section (${binary.version}) differs from the tag ${tag}`);
    }
  }
  if (!(annotationOf('created') in imageManifest) && options.sourceDateEpoch !== undefined) {
    imageManifest[annotationOf('created')] = createdFromEpoch(options.sourceDateEpoch);
  }
  // Written canonical, whichever level gave it: the section keeps what its author wrote.
  const createdKey = annotationOf('created');
  const created = imageManifest[createdKey];
  if (created !== undefined) imageManifest[createdKey] = canonicalDateTime(created) ?? created;
  if (options.layerTitle !== undefined && !(annotationOf('name') in layer))
    layer[annotationOf('name')] = options.layerTitle;
  return { imageManifest, config, layer, warnings };
}

/** `SOURCE_DATE_EPOCH` (decimal seconds since 1970) as `YYYY-MM-DDTHH:MM:SSZ`. */
export function createdFromEpoch(epoch: string): string {
  if (!/^\d+$/.test(epoch.trim()))
    throw invalid(`SOURCE_DATE_EPOCH must be a non-negative integer, not ${JSON.stringify(epoch)}`);
  const date = new Date(Number(epoch.trim()) * 1000);
  if (Number.isNaN(date.getTime())) throw invalid(`SOURCE_DATE_EPOCH ${epoch} is out of range`);
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * The annotations as an oras annotation file (`{"$manifest": {...}}`, keys sorted).
 *
 * The annotations as an oras annotation file: `{"$manifest": {...}}` with keys sorted, which
 * `oras push --annotation-file` and `wasm-meta push --annotation-file` take.
 */
export function orasAnnotationFile(annotations: Annotations): string {
  return `${JSON.stringify({ $manifest: sortKeys(annotations) }, null, 2)}\n`;
}

/** A copy of `annotations` with keys in ascending code-unit order. */
export function sortKeys(annotations: Annotations): Annotations {
  const sorted: Annotations = {};
  for (const key of Object.keys(annotations).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)))
    sorted[key] = annotations[key] as string;
  return sorted;
}

function parseAnnotationFile(
  file: unknown,
  layerTitle: string | undefined,
): { imageManifest: Annotations; config: Annotations; layer: Annotations } {
  const out = { imageManifest: {}, config: {}, layer: {} };
  if (file === undefined) return out;
  if (!isMap(file)) throw invalid('the annotation file must be a JSON object');
  for (const [section, values] of Object.entries(file)) {
    const target =
      section === '$manifest'
        ? out.imageManifest
        : section === '$config'
          ? out.config
          : layerTitle !== undefined && section === layerTitle
            ? out.layer
            : undefined;
    if (target === undefined) {
      const expected =
        layerTitle === undefined
          ? '"$manifest" or "$config"'
          : `"$manifest", "$config" or the layer title ${JSON.stringify(layerTitle)}`;
      throw invalid(`the annotation file has the key ${JSON.stringify(section)}; expected ${expected}`);
    }
    if (!isMap(values) || !Object.values(values).every((v) => typeof v === 'string')) {
      throw invalid(`the annotation file's ${JSON.stringify(section)} must map keys to strings`);
    }
    Object.assign(target, values);
  }
  return out;
}

/**
 * Validates an explicit value of a key that a field fills, by the field's rules. The value is
 * kept as given (a URL is not serialized): an explicit annotation is taken literally, but for
 * `created`, which {@link annotationsFor} writes canonical.
 */
function checkExplicit(key: string, value: string, from: string): string {
  if (key === '') throw invalid(`${from}: an annotation key cannot be empty`);
  const field = FIELD_OF_ANNOTATION.get(key);
  const checked = field === undefined ? value : checkValue(field.value, value);
  if (typeof checked !== 'string') throw invalid(`${from}: ${key}: ${checked.problem}`);
  return value;
}

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function invalid(message: string): WasmMetaError {
  return new WasmMetaError('invalid-annotation', message);
}

/**
 * `--annotation KEY=VALUE` pairs as annotations, each checked as explicit annotations are (a
 * key is not empty; `created`, `licenses` and the URL keys by their field's rules); a later
 * pair wins over an earlier one with the same key.
 */
export function checkedAnnotations(pairs: ReadonlyArray<readonly [string, string]>): Annotations {
  const out: Annotations = {};
  for (const [key, value] of pairs) out[key] = checkExplicit(key, value, '--annotation');
  return out;
}

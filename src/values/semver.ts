/**
 * Strict SemVer 2.0.0 syntax, as Rust's `semver` crate parses it for cargo-auditable versions:
 * no `v` prefix, no leading zeros, optional pre-release and build metadata. This is the
 * regular expression that semver.org publishes.
 */
const semver =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;

/** True if `version` is a SemVer 2.0.0 version such as `1.2.3-rc.1+build.5`. */
export function isSemver(version: string): boolean {
  return semver.test(version);
}

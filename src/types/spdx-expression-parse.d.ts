declare module 'spdx-expression-parse' {
  /** A single licence, possibly `+` or `WITH` an exception. */
  export interface LicenseInfo {
    license: string;
    plus?: true;
    exception?: string;
  }
  /** Two expressions joined by `AND` or `OR`. */
  export interface ConjunctionInfo {
    conjunction: 'and' | 'or';
    left: LicenseInfo | ConjunctionInfo;
    right: LicenseInfo | ConjunctionInfo;
  }
  /** Parses an SPDX licence expression; throws on invalid input. */
  export default function parse(source: string): LicenseInfo | ConjunctionInfo;
}

import licenses from 'spdx-license-ids/index.json' with { type: 'json' };
import deprecatedLicenses from 'spdx-license-ids/deprecated.json' with { type: 'json' };
import exceptions from 'spdx-exceptions/index.json' with { type: 'json' };
import deprecatedExceptions from 'spdx-exceptions/deprecated.json' with { type: 'json' };

/** The SPDX licence and exception identifiers, current and deprecated, as the SPDX list has them. */
export interface SpdxLists {
  licenses: readonly string[];
  deprecatedLicenses: readonly string[];
  exceptions: readonly string[];
  deprecatedExceptions: readonly string[];
}

/**
 * The browser implementation of `#spdx-lists`: the lists imported as JSON modules, which a
 * bundler inlines. Node uses `spdx-lists-node.ts`, which loads them on the first call.
 */
export function spdxLists(): SpdxLists {
  return { licenses, deprecatedLicenses, exceptions, deprecatedExceptions };
}

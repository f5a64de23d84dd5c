import { createRequire } from 'node:module';
import type { SpdxLists } from './spdx-lists-browser.js';

let lists: SpdxLists | undefined;

/**
 * The Node implementation of `#spdx-lists`: the lists are required on the first call, so that a
 * command that validates no licence loads none of them (four files, about 700 identifiers).
 */
export function spdxLists(): SpdxLists {
  if (lists === undefined) {
    const require = createRequire(import.meta.url);
    lists = {
      licenses: require('spdx-license-ids/index.json') as string[],
      deprecatedLicenses: require('spdx-license-ids/deprecated.json') as string[],
      exceptions: require('spdx-exceptions/index.json') as string[],
      deprecatedExceptions: require('spdx-exceptions/deprecated.json') as string[],
    };
  }
  return lists;
}

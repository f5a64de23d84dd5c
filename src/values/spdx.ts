import parseSpdx, { type ConjunctionInfo, type LicenseInfo } from 'spdx-expression-parse';
import licenseIds from 'spdx-license-ids/index.json' with { type: 'json' };
import deprecatedLicenses from 'spdx-license-ids/deprecated.json' with { type: 'json' };
import exceptionIds from 'spdx-exceptions/index.json' with { type: 'json' };
import deprecatedExceptions from 'spdx-exceptions/deprecated.json' with { type: 'json' };

/**
 * Strict SPDX licence-expression validation, with the rules of wasm-tools' `spdx` crate in
 * strict mode: identifiers from the SPDX licence list, case-sensitive; deprecated identifiers
 * rejected; `+` rejected after GNU licences (they have `-or-later` ids); operators all upper
 * or all lower case; `LicenseRef-`, `DocumentRef-…:LicenseRef-` and `AdditionRef-` accepted.
 *
 * The grammar and the licence list come from `spdx-expression-parse` and `spdx-license-ids`;
 * this module adds only the strict rules that library leaves out.
 */

const deprecatedLicenseSet: ReadonlySet<string> = new Set(deprecatedLicenses);
const deprecatedExceptionSet: ReadonlySet<string> = new Set(deprecatedExceptions);

// spdx-expression-parse has no AdditionRef; a current exception id stands in for it while parsing.
const additionRefPlaceholder = exceptionIds.find((id) => !deprecatedExceptionSet.has(id)) as string;
const additionRef = /(?<![\w.:-])(?:DocumentRef-[A-Za-z0-9.-]+:)?AdditionRef-[A-Za-z0-9.-]+/g;
const gnuLicense = /^(?:A|L)?GPL-|^GFDL-/;

/**
 * Returns `undefined` if `expression` is a valid SPDX expression, else the reason it is not
 * (such as "`GPL-2.0` is a deprecated SPDX licence identifier").
 */
export function spdxExpressionProblem(expression: string): string | undefined {
  if (expression.trim() === '') return 'it is empty';
  for (const word of expression.split(/[\s()]+/)) {
    if (/^(?:and|or|with)$/i.test(word) && word !== word.toUpperCase() && word !== word.toLowerCase()) {
      return `operator \`${word}\` must be written all upper case or all lower case`;
    }
  }
  // The spdx crate skips any whitespace between tokens; spdx-expression-parse only spaces.
  const normalized = expression.replace(/\s/g, ' ').replace(additionRef, additionRefPlaceholder);
  let tree: LicenseInfo | ConjunctionInfo;
  try {
    tree = parseSpdx(normalized);
  } catch {
    return explainSyntaxError(expression);
  }
  return licenseProblem(tree);
}

const knownIds: ReadonlySet<string> = new Set([...licenseIds, ...exceptionIds]);
const idsByLowerCase = new Map([...licenseIds, ...exceptionIds].map((id) => [id.toLowerCase(), id]));
const referenceId = /^(?:DocumentRef-[A-Za-z0-9.-]+:)?(?:LicenseRef|AdditionRef)-[A-Za-z0-9.-]+$/;

/**
 * Says which word of an expression the parser could not take. (spdx-expression-parse's own
 * messages point at the wrong character for some inputs, such as `MIT/Apache-2.0`.)
 */
function explainSyntaxError(expression: string): string {
  for (const word of expression.split(/[\s()]+/)) {
    const id = word.endsWith('+') ? word.slice(0, -1) : word;
    if (id === '' || /^(?:AND|OR|WITH|and|or|with)$/.test(id) || knownIds.has(id) || referenceId.test(id)) continue;
    if (deprecatedExceptionSet.has(id)) return `\`${id}\` is a deprecated SPDX exception identifier`;
    if (id.includes('/')) return `\`${id}\`: \`/\` is not an operator, use OR`;
    const cased = idsByLowerCase.get(id.toLowerCase());
    if (cased !== undefined) return `unknown identifier \`${id}\` (identifiers are case-sensitive: \`${cased}\`)`;
    return `unknown identifier \`${id}\``;
  }
  return 'operators and identifiers are not in a valid order';
}

function licenseProblem(node: LicenseInfo | ConjunctionInfo): string | undefined {
  if ('conjunction' in node) return licenseProblem(node.left) ?? licenseProblem(node.right);
  if (deprecatedLicenseSet.has(node.license)) {
    return `\`${node.license}\` is a deprecated SPDX licence identifier`;
  }
  if (node.plus && gnuLicense.test(node.license)) {
    return `\`${node.license}+\` is not allowed: use the \`-or-later\` identifier`;
  }
  return undefined;
}

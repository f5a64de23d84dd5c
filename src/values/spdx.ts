import spdxCorrect from 'spdx-correct';
import parseSpdx, { type ConjunctionInfo, type LicenseInfo } from 'spdx-expression-parse';
import { spdxLists } from '#spdx-lists';

/**
 * Strict SPDX licence-expression validation, with the rules of wasm-tools' `spdx` crate in
 * strict mode: identifiers from the SPDX licence list, case-sensitive; deprecated identifiers
 * rejected; `+` rejected after GNU licences (they have `-or-later` ids); operators all upper
 * or all lower case; `LicenseRef-`, `DocumentRef-…:LicenseRef-` and `AdditionRef-` accepted.
 *
 * The grammar and the licence list come from `spdx-expression-parse` and `spdx-license-ids`;
 * this module adds only the strict rules that library leaves out.
 */

interface Tables {
  deprecatedLicenses: ReadonlySet<string>;
  deprecatedExceptions: ReadonlySet<string>;
  currentLicenses: ReadonlySet<string>;
  /** Every licence and exception id. */
  known: ReadonlySet<string>;
  /** Every id by its lower-case form. */
  byLowerCase: ReadonlyMap<string, string>;
  /** spdx-expression-parse has no AdditionRef; a current exception id stands in for it while parsing. */
  additionRefPlaceholder: string;
}

let built: Tables | undefined;

/** The lookup tables, built on the first licence checked: a file without one never pays for them. */
function tables(): Tables {
  if (built !== undefined) return built;
  const { licenses, deprecatedLicenses, exceptions, deprecatedExceptions } = spdxLists();
  const deprecatedExceptionSet = new Set(deprecatedExceptions);
  built = {
    deprecatedLicenses: new Set(deprecatedLicenses),
    deprecatedExceptions: deprecatedExceptionSet,
    currentLicenses: new Set(licenses),
    known: new Set([...licenses, ...exceptions]),
    byLowerCase: new Map([...licenses, ...exceptions].map((id) => [id.toLowerCase(), id])),
    additionRefPlaceholder: exceptions.find((id) => !deprecatedExceptionSet.has(id)) as string,
  };
  return built;
}

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
  const normalized = expression.replace(/\s/g, ' ').replace(additionRef, tables().additionRefPlaceholder);
  let tree: LicenseInfo | ConjunctionInfo;
  try {
    tree = parseSpdx(normalized);
  } catch {
    return explainSyntaxError(expression);
  }
  return licenseProblem(tree);
}

const referenceId = /^(?:DocumentRef-[A-Za-z0-9.-]+:)?(?:LicenseRef|AdditionRef)-[A-Za-z0-9.-]+$/;

/**
 * Says which word of an expression the parser could not take. (spdx-expression-parse's own
 * messages point at the wrong character for some inputs, such as `MIT/Apache-2.0`.)
 */
function explainSyntaxError(expression: string): string {
  const { known, deprecatedExceptions, byLowerCase } = tables();
  for (const word of expression.split(/[\s()]+/)) {
    const id = word.endsWith('+') ? word.slice(0, -1) : word;
    if (id === '' || /^(?:AND|OR|WITH|and|or|with)$/.test(id) || known.has(id) || referenceId.test(id)) continue;
    if (deprecatedExceptions.has(id)) return `\`${id}\` is a deprecated SPDX exception identifier`;
    if (id.includes('/')) return `\`${id}\`: \`/\` is not an operator, use OR`;
    const cased = byLowerCase.get(id.toLowerCase());
    if (cased !== undefined) return `unknown identifier \`${id}\` (identifiers are case-sensitive: \`${cased}\`)`;
    return `unknown identifier \`${id}\``;
  }
  return 'operators and identifiers are not in a valid order';
}

function licenseProblem(node: LicenseInfo | ConjunctionInfo): string | undefined {
  if ('conjunction' in node) return licenseProblem(node.left) ?? licenseProblem(node.right);
  if (tables().deprecatedLicenses.has(node.license)) {
    return `\`${node.license}\` is a deprecated SPDX licence identifier`;
  }
  if (node.plus && gnuLicense.test(node.license)) {
    return `\`${node.license}+\` is not allowed: use the \`-or-later\` identifier`;
  }
  return undefined;
}

const operator = /^(?:and|or|with)$/i;

/**
 * The valid expression a licence string was probably meant to be, the way npm suggests one
 * (with `spdx-correct`, npm's own corrector): `GPL-2.0` is `GPL-2.0-only`, `Apache 2` is
 * `Apache-2.0`. `undefined` when `expression` is valid or has no safe correction.
 *
 * In an expression with operators each identifier is corrected on its own (`MIT OR GPL-2.0`
 * is `MIT OR GPL-2.0-only`): spdx-correct, given a whole expression, either keeps deprecated ids
 * or keeps only one licence of a list (`MIT/Apache-2.0` would be `Apache-2.0`). Deprecated GNU
 * ids become the ids the SPDX list names for them (`GPL-3.0` is `GPL-3.0-only`, `GPL-3.0+` is
 * `GPL-3.0-or-later`), where spdx-correct would turn `GPL-3.0` into `GPL-3.0-or-later`. A list
 * (`MIT/Apache-2.0`, `MIT, Apache-2.0`), `UNLICENSED` and `SEE LICENSE IN …` get no correction.
 */
export function correctSpdxExpression(expression: string): string | undefined {
  const trimmed = expression.trim();
  if (trimmed === '' || spdxExpressionProblem(expression) === undefined) return undefined;
  if (/^UNLICEN[CS]ED$|^SEE LICEN[CS]E IN /.test(trimmed)) return undefined;
  const words = trimmed.split(/(\s+|[()])/);
  let corrected: string | undefined;
  if (words.some((word) => operator.test(word) || word === '(' || word === ')')) {
    let previous = '';
    const parts = words.map((word) => {
      if (word.trim() === '') return word;
      const after = previous;
      previous = word;
      if (word === '(' || word === ')') return word;
      if (operator.test(word)) return word === word.toLowerCase() ? word : word.toUpperCase();
      // An exception (after WITH) is left as it is: spdx-correct knows only licences.
      if (/^with$/i.test(after) || spdxExpressionProblem(word) === undefined) return word;
      return correctIdentifier(word);
    });
    if (parts.every((part) => part !== undefined)) corrected = parts.join('');
  } else if (!isList(trimmed)) {
    corrected = correctIdentifier(trimmed);
  }
  return corrected !== undefined && corrected !== expression && spdxExpressionProblem(corrected) === undefined
    ? corrected
    : undefined;
}

/** One licence, corrected: a current SPDX id (with `+` where that is allowed), or `undefined`. */
function correctIdentifier(word: string): string | undefined {
  const corrected = upgradeDeprecated(word) ?? spdxCorrect(word, { upgrade: false });
  if (corrected === null || /[\s()]/.test(corrected)) return undefined;
  // spdx-correct drops a `+` it cannot place (`GPL-2.0 +` to `GPL-2.0`): that would narrow the licence.
  if (word.endsWith('+') && !/(?:\+|-or-later)$/.test(corrected)) return undefined;
  return upgradeDeprecated(corrected) ?? corrected;
}

/** A deprecated id with `-only` and `-or-later` successors, as the SPDX list maps it. */
function upgradeDeprecated(id: string): string | undefined {
  const plus = id.endsWith('+');
  const base = plus ? id.slice(0, -1) : id;
  const { deprecatedLicenses, currentLicenses } = tables();
  if (!deprecatedLicenses.has(base) || !currentLicenses.has(`${base}-only`)) return undefined;
  return `${base}${plus ? '-or-later' : '-only'}`;
}

/** Whether a string names more than one licence without an operator (`MIT/Apache-2.0`). */
function isList(text: string): boolean {
  const { byLowerCase } = tables();
  const known = text.split(/[\s,/;]+/).filter((word) => byLowerCase.has(word.replace(/\+$/, '').toLowerCase()));
  return known.length > 1 || text.includes('/');
}

/** RFC 3339 `date-time` validation for the `created` field. */

const dateTime = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:[Zz]|([+-])(\d{2}):(\d{2}))$/;

/** The fields of an RFC 3339 date-time; the offset in minutes east of UTC. */
interface DateTimeFields {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** The digits after the decimal point, as written (`''` without a fraction). */
  fraction: string;
  offsetMinutes: number;
}

/** `value`'s fields if it is a valid RFC 3339 date-time, else `undefined`. */
function parseDateTime(value: string): DateTimeFields | undefined {
  const match = dateTime.exec(value);
  if (match === null) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const offsetHour = match[9] === undefined ? 0 : Number(match[9]);
  const offsetMinute = match[10] === undefined ? 0 : Number(match[10]);
  const valid =
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysInMonth(year, month) &&
    hour <= 23 &&
    minute <= 59 &&
    second <= 60 && // 60 is a leap second
    offsetHour <= 23 &&
    offsetMinute <= 59;
  if (!valid) return undefined;
  const sign = match[8] === '-' ? -1 : 1;
  return {
    year,
    month,
    day,
    hour,
    minute,
    second,
    fraction: match[7] ?? '',
    offsetMinutes: sign * (offsetHour * 60 + offsetMinute),
  };
}

/** True if `value` is an RFC 3339 date-time, such as `2026-01-01T00:00:00Z`. */
export function isRfc3339DateTime(value: string): boolean {
  return parseDateTime(value) !== undefined;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/**
 * An RFC 3339 date-time in its canonical UTC form, as registries and older RFC 3339 parsers
 * (chrono before 0.4.20 wanted an upper-case `T` and `Z`) take it: `2026-01-01T00:00:00Z`. An
 * offset is converted to UTC; fractional seconds are kept, without trailing zeros, only when
 * not zero. `undefined` if `value` is not an RFC 3339 date-time, or its UTC form falls outside
 * the years 0000-9999.
 */
export function canonicalDateTime(value: string): string | undefined {
  const fields = parseDateTime(value);
  if (fields === undefined) return undefined;
  const { year, month, day, hour, minute, second, offsetMinutes } = fields;
  const fraction = fields.fraction.replace(/0+$/, '');
  // A leap second (:60) is converted as :59 and given back its 60 after.
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute - offsetMinutes, Math.min(second, 59), 0);
  const utcYear = date.getUTCFullYear();
  if (utcYear < 0 || utcYear > 9999) return undefined;
  const two = (n: number): string => String(n).padStart(2, '0');
  const seconds = second === 60 ? 60 : date.getUTCSeconds();
  return (
    `${String(utcYear).padStart(4, '0')}-${two(date.getUTCMonth() + 1)}-${two(date.getUTCDate())}` +
    `T${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(seconds)}${fraction === '' ? '' : `.${fraction}`}Z`
  );
}

// String formats used in schemas, so the OpenAPI document states them and validation names the failing field.
import Format from 'typebox/format';
import { isValid as isValidPostcode } from 'postcode';
import { registerAjvFormats } from '@fastify/type-provider-typebox';

export const UPRN_PATTERN = '^[0-9]{1,12}$';

/** A calendar date (YYYY-MM-DD) that exists. Year 0000 (1 BC in ISO 8601) is refused: PostgreSQL cannot read it. */
export function isCalendarDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || value.startsWith('0000')) return false;
  const d = new Date(value + 'T00:00:00Z');
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

export function todayIso(): string {
  return new Date().toISOString().slice(0, 10);
}

let registered = false;
export function registerFormats(): void {
  if (registered) return;
  registered = true;
  registerAjvFormats();
  const isDateTime = Format.Get('date-time')!;
  Format.Set('date-time', (v) => isDateTime(v) && !v.startsWith('0000'));
  Format.Set('date', isCalendarDate);
  // A date on or before today, for dates of birth.
  Format.Set('past-date', (v) => isCalendarDate(v) && v <= todayIso());
  // A full UK postcode, validated by the 'postcode' library (any case, with or without the space).
  Format.Set('uk-postcode', (v) => isValidPostcode(v));
}

// Phone numbers as UK people write them. Stored in E.164 ("+447700900123", what imports and forms save); shown as
// "07700 900123" (a UK number) or "+33 1 23 45 67 89" (elsewhere). libphonenumber-js knows each country's grouping.
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';

/** A stored number for people to read: national format for UK numbers, international otherwise; as stored if not a number. */
export function displayPhone(value: string | null | undefined): string {
  if (!value) return '';
  const n = parsePhoneNumberFromString(value, 'GB');
  if (!n) return value;
  return n.country === 'GB' || n.countryCallingCode === '44' ? n.formatNational() : n.formatInternational();
}

/**
 * A number as staff type it ("07700 900 123", "020 7946 0123", "+33 1 23 45 67 89") → E.164, or null when it is not a
 * possible phone number.
 */
export function parsePhone(input: string): string | null {
  const n = parsePhoneNumberFromString(input.trim(), 'GB');
  return n && n.isPossible() ? n.number : null;
}

// Tenant Satisfaction Measure NM01: anti-social behaviour cases per 1,000 homes, and hate-incident cases per 1,000
// homes, in a reporting year (1 April to 31 March).
//
// A case is one log of what the landlord did about a report. Reports made while a case is open belong to it and are not
// new cases; a report after a case is closed opens a new one. So what is counted here is cases opened in the year, each
// once (the same id given twice counts once). Hate-incident cases are counted within the total as well as apart.
//
// Rounding: rates are given to 2 decimal places, halves rounded up, computed exactly in whole numbers (so 201 cases
// in 200,000 homes, 1.005, is 1.01, not the 1.00 that floating-point arithmetic gives). The counts are returned as
// well, for the return itself.
export interface Nm01Case {
  id: string;
  /** The UK date the case was opened (yyyy-mm-dd). */
  openedOn: string;
  hate: boolean;
}

export interface Nm01 {
  /** The reporting year: its first and last days. */
  from: string;
  to: string;
  homes: number;
  cases: number;
  hateCases: number;
  /** ASB cases per 1,000 homes, to 2 decimal places. */
  casesPer1000: number;
  /** Hate-incident cases per 1,000 homes, to 2 decimal places. */
  hateCasesPer1000: number;
  /** Cases given that were opened outside the year (not counted). */
  outsideYear: number;
}

/** count ÷ homes × 1,000 to 2 decimal places, halves up: round(count × 100,000 ÷ homes) ÷ 100, in whole numbers. */
export function perThousand(count: number, homes: number): number {
  if (!Number.isSafeInteger(count) || count < 0) throw new RangeError(`a count must be a whole number, 0 or more: ${count}`);
  if (!Number.isSafeInteger(homes) || homes < 1) throw new RangeError(`the number of homes must be a whole number, 1 or more: ${homes}`);
  const hundredths = (BigInt(count) * 200_000n + BigInt(homes)) / (2n * BigInt(homes));
  return Number(hundredths) / 100;
}

/**
 * NM01 for the reporting year that starts on 1 April of `year` (2025 is 1 April 2025 to 31 March 2026), from the cases
 * opened (those outside the year are left out and counted apart) and the number of homes.
 */
export function nm01(input: { year: number; homes: number; cases: readonly Nm01Case[] }): Nm01 {
  if (!Number.isInteger(input.year)) throw new RangeError(`a reporting year must be a whole number: ${input.year}`);
  const from = `${String(input.year).padStart(4, '0')}-04-01`;
  const to = `${String(input.year + 1).padStart(4, '0')}-03-31`;
  const unique = [...new Map(input.cases.map((c) => [c.id, c])).values()];
  const inYear = unique.filter((c) => c.openedOn >= from && c.openedOn <= to);
  const cases = inYear.length;
  const hateCases = inYear.filter((c) => c.hate).length;
  return {
    from, to, homes: input.homes, cases, hateCases,
    casesPer1000: perThousand(cases, input.homes),
    hateCasesPer1000: perThousand(hateCases, input.homes),
    outsideYear: unique.length - cases,
  };
}

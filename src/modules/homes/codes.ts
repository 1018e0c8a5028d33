// Code lists for homes and buildings. Codes are kebab-case, labels are what staff read.
export const PROPERTY_TYPES = {
  house: 'House',
  flat: 'Flat',
  maisonette: 'Maisonette',
  bungalow: 'Bungalow',
  bedsit: 'Bedsit',
  room: 'Room in shared housing',
  other: 'Other',
} as const;
export type PropertyType = keyof typeof PROPERTY_TYPES;

/** How a block's height was obtained: a measurement, or an estimate (e.g. storeys × 3 m). */
export const HEIGHT_METHODS = { measured: 'Measured', estimated: 'Estimated' } as const;

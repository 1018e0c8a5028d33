// A small made-up population for tests that load people from files: names, dates of birth, phones and postcodes by
// index, so two files can describe the same people (or nearly: a nickname, a typo) without random data.
export const GIVEN = ['Aisha', 'Ben', 'Chloe', 'David', 'Emma', 'Farhan', 'Grace', 'Harry', 'Imran', 'Jade', 'Kieran', 'Lucy', 'Mohammed', 'Niamh', 'Oliver',
  'Priya', 'Quentin', 'Rhys', 'Sophie', 'Tariq', 'Uma', 'Victor', 'Wendy', 'Xavier', 'Yasmin', 'Zach', 'Amelia', 'Callum', 'Dylan', 'Eleanor'];
export const FAMILY = ['Okafor', 'Patel', 'Hughes', 'Evans', 'Khan', 'Walsh', 'Nowak', 'Campbell', 'Murphy', 'Ahmed', 'Taylor', 'Brown', 'Wilson', 'Davies', 'Clarke',
  'Lewis', 'Baker', 'Hall', 'Wood', 'Green', 'Price', 'Bell', 'Cooper', 'Ward', 'Kelly', 'Harris', 'Martin', 'Jackson', 'Thompson', 'White'];
export const dob = (i: number) => `${1950 + ((i * 7) % 50)}-${String(1 + ((i * 5) % 12)).padStart(2, '0')}-${String(1 + ((i * 11) % 28)).padStart(2, '0')}`;
export const phone = (i: number) => `07700 900${200 + i * 7}`;
export const postcode = (i: number) => `LS${6 + (i % 3)} ${1 + (i % 9)}${'ABDEFGHJL'[i % 9]}${'ABDEFGHJL'[(i * 2) % 9]}`;

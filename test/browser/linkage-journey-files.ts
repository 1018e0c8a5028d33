// The three files of the record linkage journey (issue 4's "done when"): tenants from a housing system (CSV), repairs
// contacts from a repairs system (Excel) and parties to anti-social behaviour cases from an ASB system (CSV). The same
// people are spelt differently across them: Robert Morgan / Bob Morgen / R. Morgan, a household sharing a flat,
// nicknames (Peggy for Margaret, Bill for William, Danny for Daniel), slips and a moved address.
import ExcelJS from 'exceljs';

export interface JourneyFile { name: string; system: string; mimeType: string; buffer: Buffer }

const csv = (lines: string[]) => Buffer.from(lines.join('\r\n') + '\r\n');

// Forty more tenants, most of whom the repairs system and some of whom the ASB system know too.
const GIVEN = ['Aisha', 'Ben', 'Chloe', 'David', 'Emma', 'Farhan', 'Grace', 'Harry', 'Imran', 'Jade', 'Kieran', 'Lucy', 'Mohammed', 'Niamh', 'Oliver',
  'Priya', 'Quentin', 'Rhys', 'Sophie', 'Tariq', 'Uma', 'Victor', 'Wendy', 'Xavier', 'Yasmin', 'Zach', 'Amelia', 'Callum', 'Dylan', 'Eleanor',
  'Faith', 'George', 'Hannah', 'Isaac', 'Jasmine', 'Kai', 'Leah', 'Mason', 'Nadia', 'Owen'];
const FAMILY = ['Okoro', 'Shah', 'Hughes', 'Evans', 'Khan', 'Walsh', 'Nowak', 'Campbell', 'Murphy', 'Ahmed', 'Taylor', 'Brown', 'Wilson', 'Davies', 'Clarke',
  'Lewis', 'Baker', 'Hall', 'Wood', 'Green', 'Price', 'Bell', 'Cooper', 'Ward', 'Kelly', 'Harris', 'Martin', 'Jackson', 'Thompson', 'White',
  'Young', 'King', 'Wright', 'Scott', 'Adams', 'Mitchell', 'Turner', 'Carter', 'Phillips', 'Parker'];
const dob = (i: number) => `${1950 + ((i * 7) % 50)}-${String(1 + ((i * 5) % 12)).padStart(2, '0')}-${String(1 + ((i * 11) % 28)).padStart(2, '0')}`;
const ukDate = (iso: string) => iso.split('-').reverse().join('/');
const phone = (i: number) => `07700 900${300 + i * 7}`;
const street = (i: number) => `${i + 3} ${['Hill Street', 'Oak Avenue', 'Kirkstall Road', 'Cardigan Road'][i % 4]}`;
const postcode = (i: number) => `LS${6 + (i % 3)} ${1 + (i % 9)}${'ABDEFGHJL'[i % 9]}${'ABDEFGHJL'[(i * 2) % 9]}`;
const MORE = GIVEN.map((g, i) => ({ ref: 100 + i, given: g, family: FAMILY[i]!, dob: dob(i), phone: phone(i), street: street(i), postcode: postcode(i) }));

export const TENANTS = [
  'Customer Ref,Title,Forename,Surname,Date of Birth,Mobile,Address 1,Postcode',
  'N001,Mr,Robert,Morgan,02/03/1971,07700 900123,Flat 12 Moor Road,LS6 1AA',
  'N002,Mrs,Sarah,Morgan,19/07/1974,07700 900124,Flat 12 Moor Road,LS6 1AA',
  'N003,,Thomas,Morgan,10/01/2005,,Flat 12 Moor Road,LS6 1AA',
  'N004,Ms,Margaret,Hughes,14/05/1948,07700 900130,3 Hill Street,LS6 2BB',
  'N005,Mr,William,Okafor,21/09/1985,07700 900131,5 Oak Avenue,LS7 3DD',
  'N006,Ms,Aisha,Patel,03/12/1990,07700 900132,9 Kirkstall Road,LS5 3EF',
  'N007,Mr,Daniel,Evans,30/06/1979,07700 900133,22 Cardigan Road,LS6 1LG',
  'N008,Ms,Chloe,Nowak,11/11/1995,07700 900134,Flat 4 Bronte House Woodhouse Lane,LS2 9JT',
  ...MORE.map((p) => `N${p.ref},,${p.given},${p.family},${ukDate(p.dob)},${p.phone},${p.street},${p.postcode}`),
];

export const REPAIRS_CONTACTS: (string | null)[][] = [
  ['Contact ID', 'First Name', 'Last Name', 'Date of Birth', 'Phone', 'Email', 'Address', 'Postcode'],
  ['C-1', 'Bob', 'Morgen', '1971-03-02', '07700900123', 'bob.morgan@example.com', 'Flat 12 Moor Road', 'LS6 1AA'],
  ['C-2', 'Sarah', 'Morgan', '1974-07-19', '07700900124', null, 'Flat 12 Moor Road', 'LS6 1AA'],
  ['C-3', 'Peggy', 'Hughes', '1948-05-14', '07700900130', null, '3 Hill St', 'LS6 2BB'],
  ['C-4', 'Bill', 'Okafor', '1985-09-21', '07700 900131', 'bill.okafor@example.com', '5 Oak Ave', 'LS7 3DD'],
  ['C-5', 'Kieran', 'Walsh', '1988-04-02', '07700900140', null, '14 Dock Street', 'LS10 1PZ'],
  // The first thirty of the others, some with slips: a nickname, a typo, no phone.
  ...MORE.slice(0, 30).map((p, i) => [`C-${p.ref}`, i === 3 ? 'Dave' : i === 5 ? 'Farhaan' : p.given, i === 7 ? 'Campbel' : p.family, p.dob,
    i % 4 === 0 ? null : p.phone.replace(/ /g, ''), `${p.given.toLowerCase()}.${p.family.toLowerCase()}@example.com`, p.street, p.postcode]),
];

export const ASB_PARTIES = [
  'Party Ref,Forename,Surname,DOB,Phone,Address,Postcode',
  'A-1,R.,Morgan,1971-03-02,,Flat 12 Moor Road,LS6 1AA',
  'A-2,Aisha,Patel,1990-12-03,07700900132,9 Kirkstall Rd,LS5 3EF',
  'A-3,Danny,Evans,1979-06-30,,41 Hyde Park Road,LS6 1PY',
  'A-4,Jordan,Price,2001-02-14,07700900150,2 Brudenell Grove,LS6 1HR',
  // Ten of the others, without phone numbers.
  ...MORE.slice(20, 30).map((p) => `A-${p.ref},${p.given},${p.family},${p.dob},,${p.street},${p.postcode}`),
];

export async function JOURNEY(): Promise<JourneyFile[]> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Contacts');
  for (const row of REPAIRS_CONTACTS) ws.addRow(row);
  return [
    { name: 'housing-tenants.csv', system: 'Northgate Housing', mimeType: 'text/csv', buffer: csv(TENANTS) },
    { name: 'repairs-contacts.xlsx', system: 'Repairs system', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: Buffer.from(await wb.xlsx.writeBuffer()) },
    { name: 'asb-parties.csv', system: 'ASB cases', mimeType: 'text/csv', buffer: csv(ASB_PARTIES) },
  ];
}

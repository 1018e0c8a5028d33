// The generated homes CSV the import benches load (bench:ingest, bench:events): deterministic, so runs compare.
import fs from 'node:fs';

export const HEADER = 'Prop Ref,UPRN,Flat,House No,House Name,Street,Town,Post Code,Prop Type,Beds,Block,Storeys';
const STREETS = ['High Street', 'Moor Road', 'Church Lane', 'Station Road', 'Victoria Street', 'Park Avenue', 'Mill Lane', 'Queens Road', 'King Street', 'Hill Top'];
const TOWNS = ['Leeds', 'Bradford', 'Wakefield', 'Halifax', 'Huddersfield'];
const AREAS = ['LS6', 'LS7', 'BD1', 'BD3', 'WF1', 'HX1', 'HD1', 'LS11', 'LS9', 'BD8'];

/** A deterministic homes file: one in five homes is a flat in a named block of 40. */
export function generate(file: string, n: number): void {
  const fd = fs.openSync(file, 'w');
  let buf = HEADER + '\n';
  let seed = 42;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  for (let i = 1; i <= n; i++) {
    const flat = i % 5 === 0;
    const block = flat ? Math.floor(i / 200) : -1;
    // The flats of one block share its postcode and street, as a real block's do (blocks are told apart by name
    // within the postcode: a block whose flats had 40 postcodes would be 40 buildings).
    const at = flat ? block * 200 : i;
    const area = AREAS[at % AREAS.length]!;
    const postcode = `${area} ${1 + (at % 9)}${'ABDEFGHJLNPQRSTUWXYZ'[at % 20]}${'ABDEFGHJLNPQRSTUWXYZ'[(at >> 3) % 20]}`;
    const drawn = STREETS[Math.floor(rnd() * STREETS.length)]!;
    const street = flat ? STREETS[block % STREETS.length]! : drawn;
    const cells = [
      `P${String(i).padStart(7, '0')}`, String(100000000000 + i), flat ? `Flat ${1 + (i % 40)}` : '', flat ? '' : String(1 + (i % 180)),
      flat ? `Block ${block} House` : '', street, TOWNS[i % TOWNS.length]!, postcode, flat ? 'Flat' : rnd() < 0.8 ? 'House' : 'Bungalow',
      String(1 + Math.floor(rnd() * 4)), flat ? `Block ${block} House` : '', flat ? String(3 + (block % 20)) : '',
    ];
    buf += cells.join(',') + '\n';
    if (buf.length > 1 << 20) { fs.writeSync(fd, buf); buf = ''; }
  }
  fs.writeSync(fd, buf);
  fs.closeSync(fd);
}


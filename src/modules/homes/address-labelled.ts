// A labelled set of UK address lines and the BS 7666 parts they hold, for measuring address-lines.ts (npm run
// bench:addresses, address-lines.test.ts). Two halves: TUNING (the parser's rules were adjusted while looking at its
// results) and HELD_OUT (written before the parser was tuned and never used to adjust it: hand-written hard cases,
// and generated cases from street names, towns and buildings that the tuning half does not use).
import type { AddressParts } from './address-lines.ts';
import { seededRandom } from '../../platform/random.ts';

export interface LabelledAddress {
  lines: string[];
  /** The postcode when the file has it in a column of its own. */
  postcode?: string;
  /** The parts; any part not named is expected to be null. */
  expect: Partial<AddressParts>;
}

const c = (lines: string[], expect: Partial<AddressParts>, postcode?: string): LabelledAddress => (postcode ? { lines, postcode, expect } : { lines, expect });

/** Hand-written cases, written first and put aside: never used to tune the parser. */
const HAND_HELD_OUT: LabelledAddress[] = [
  c(['Flat 1', '23 Beech Grove', 'Harrogate'], { subBuilding: 'Flat 1', buildingNumber: '23', street: 'Beech Grove', town: 'Harrogate' }),
  c(['Flat 4/2', '110 Dumbarton Rd', 'Glasgow'], { subBuilding: 'Flat 4/2', buildingNumber: '110', street: 'Dumbarton Road', town: 'Glasgow' }),
  c(['0/1', '15 Walmer Cres', 'Glasgow'], { subBuilding: '0/1', buildingNumber: '15', street: 'Walmer Crescent', town: 'Glasgow' }),
  c(['First Floor Flat', '9 Clifton Ter', 'Brighton'], { subBuilding: 'First Floor Flat', buildingNumber: '9', street: 'Clifton Terrace', town: 'Brighton' }),
  c(['Basement Flat', '31 Marine Parade', 'Brighton', 'East Sussex'], { subBuilding: 'Basement Flat', buildingNumber: '31', street: 'Marine Parade', town: 'Brighton' }),
  c(['Top Floor Flat, 2 Royal Cres, Bath BA1 2LR'], { subBuilding: 'Top Floor Flat', buildingNumber: '2', street: 'Royal Crescent', town: 'Bath', postcode: 'BA1 2LR' }),
  c(['The Old Rectory', 'Church St', 'Kirkby Lonsdale'], { buildingName: 'The Old Rectory', street: 'Church Street', town: 'Kirkby Lonsdale' }),
  c(['Ivy Cottage', 'Mill Lane', 'Bramhope', 'Leeds'], { buildingName: 'Ivy Cottage', street: 'Mill Lane', locality: 'Bramhope', town: 'Leeds' }),
  c(['Flat 12', 'Keeling House', 'Claredale St', 'London'], { subBuilding: 'Flat 12', buildingName: 'Keeling House', street: 'Claredale Street', town: 'London' }),
  c(['Flat 12 Keeling House', 'Claredale Street', 'London', 'E2 6PG'], { subBuilding: 'Flat 12', buildingName: 'Keeling House', street: 'Claredale Street', town: 'London', postcode: 'E2 6PG' }),
  c(['44 Trellick Tower', 'Golborne Rd', 'London'], { subBuilding: '44', buildingName: 'Trellick Tower', street: 'Golborne Road', town: 'London' }),
  c(['12a', 'Albion St', 'Hull'], { buildingNumber: '12a', street: 'Albion Street', town: 'Hull' }),
  c(['3-5 Market Pl', 'Wetherby'], { buildingNumber: '3-5', street: 'Market Place', town: 'Wetherby' }),
  c(['Unit 3', '18 Canal Wharf', 'Leeds'], { subBuilding: 'Unit 3', buildingNumber: '18', street: 'Canal Wharf', town: 'Leeds' }),
  c(['Room 7', 'St Annes House', '6 Kings Rd', 'Reading'], { subBuilding: 'Room 7', buildingName: 'St Annes House', buildingNumber: '6', street: 'Kings Road', town: 'Reading' }),
  c(['Apartment 21', 'Clarence Dock', '2 Crown Point Rd', 'Leeds', 'LS10 1EE'], { subBuilding: 'Apartment 21', buildingName: 'Clarence Dock', buildingNumber: '2', street: 'Crown Point Road', town: 'Leeds', postcode: 'LS10 1EE' }),
  c(['57 Meadow Way', 'Chinnor'], { buildingNumber: '57', street: 'Meadow Way', town: 'Chinnor' }),
  c(['8 The Green', 'Writtle', 'Chelmsford', 'Essex'], { buildingNumber: '8', street: 'The Green', locality: 'Writtle', town: 'Chelmsford' }),
  c(['19 St Marys Rd', 'Southampton'], { buildingNumber: '19', street: 'St Marys Road', town: 'Southampton' }),
  c(['Flat 3, Wren Court, Ash Grove, Sheffield S10 3BD'], { subBuilding: 'Flat 3', buildingName: 'Wren Court', street: 'Ash Grove', town: 'Sheffield', postcode: 'S10 3BD' }),
  c(['Ground Floor Flat 2', '40 Heaton Rd', 'Newcastle upon Tyne'], { subBuilding: 'Ground Floor Flat 2', buildingNumber: '40', street: 'Heaton Road', town: 'Newcastle upon Tyne' }),
  c(['72 Kingsway', 'Gloucester'], { buildingNumber: '72', street: 'Kingsway', town: 'Gloucester' }),
  c(['Flat 5 21 Park Ave', 'Hull'], { subBuilding: 'Flat 5', buildingNumber: '21', street: 'Park Avenue', town: 'Hull' }),
  c(['Orchard House', 'Station Rd', 'Great Shelford', 'Cambridge', 'CB22 5LR'], { buildingName: 'Orchard House', street: 'Station Road', locality: 'Great Shelford', town: 'Cambridge', postcode: 'CB22 5LR' }),
  c(['1 Lime Tree Cl', 'Tadley', 'Hants'], { buildingNumber: '1', street: 'Lime Tree Close', town: 'Tadley' }),
  c(['Flat B', '88 Stroud Green Rd', 'London', 'N4 3EN'], { subBuilding: 'Flat B', buildingNumber: '88', street: 'Stroud Green Road', town: 'London', postcode: 'N4 3EN' }),
  c(['14 Elm Gdns', 'Hexham', 'Northumberland', 'NE46 1AA'], { buildingNumber: '14', street: 'Elm Gardens', town: 'Hexham', postcode: 'NE46 1AA' }),
  c(['Flat 9', 'Priory Ct', '3 Priory Rd', 'Dudley'], { subBuilding: 'Flat 9', buildingName: 'Priory Court', buildingNumber: '3', street: 'Priory Road', town: 'Dudley' }),
  c(['Lower Ground Floor Flat', '17 Albert Sq', 'London'], { subBuilding: 'Lower Ground Floor Flat', buildingNumber: '17', street: 'Albert Square', town: 'London' }),
  c(['26, Whitehall Dr', 'Wigan'], { buildingNumber: '26', street: 'Whitehall Drive', town: 'Wigan' }),
  c(['Flat 2', 'Cedar Lodge', 'Hollins Lane', 'Marple', 'Stockport'], { subBuilding: 'Flat 2', buildingName: 'Cedar Lodge', street: 'Hollins Lane', locality: 'Marple', town: 'Stockport' }),
  c(['Honeysuckle Barn, Low Rd, Burnham Market, King\'s Lynn PE31 8HD'], { buildingName: 'Honeysuckle Barn', street: 'Low Road', locality: 'Burnham Market', town: 'King\'s Lynn', postcode: 'PE31 8HD' }),
  c(['101 Queensway', 'Birmingham', 'B4 6AA'], { buildingNumber: '101', street: 'Queensway', town: 'Birmingham', postcode: 'B4 6AA' }),
  c(['6 Cross Keys Yard', 'Alnwick'], { buildingNumber: '6', street: 'Cross Keys Yard', town: 'Alnwick' }),
  c(['Flat 14/1', '9 Gibson St', 'Glasgow', 'G12 8NU'], { subBuilding: 'Flat 14/1', buildingNumber: '9', street: 'Gibson Street', town: 'Glasgow', postcode: 'G12 8NU' }),
  c(['15 Heol y Felin', 'Cardiff'], { buildingNumber: '15', street: 'Heol y Felin', town: 'Cardiff' }),
  c(['Flat 6, 230 Lordship Lane, East Dulwich, London SE22 8LY'], { subBuilding: 'Flat 6', buildingNumber: '230', street: 'Lordship Lane', locality: 'East Dulwich', town: 'London', postcode: 'SE22 8LY' }),
  c(['2nd Floor Flat', '4 Pembroke Rd', 'Bristol'], { subBuilding: '2nd Floor Flat', buildingNumber: '4', street: 'Pembroke Road', town: 'Bristol' }),
  c(['Maisonette 3', '18 Union Tce', 'Aberdeen'], { subBuilding: 'Maisonette 3', buildingNumber: '18', street: 'Union Terrace', town: 'Aberdeen' }),
  c(['5 Abbey Mws', 'Sherborne', 'Dorset'], { buildingNumber: '5', street: 'Abbey Mews', town: 'Sherborne' }),
  c(['Flat 7', 'Jubilee House', 'High St', 'Sutton', 'Surrey'], { subBuilding: 'Flat 7', buildingName: 'Jubilee House', street: 'High Street', town: 'Sutton' }),
  c(['Flat 30', '1 Bridge St'], { subBuilding: 'Flat 30', buildingNumber: '1', street: 'Bridge Street' }, 'CH1 1NW'),
  c(['48A Chapel Rd', 'Worthing', 'West Sussex', 'BN11 1BE'], { buildingNumber: '48A', street: 'Chapel Road', town: 'Worthing', postcode: 'BN11 1BE' }),
  c(['Woodside', 'Brook Lane', 'Alderley Edge'], { buildingName: 'Woodside', street: 'Brook Lane', town: 'Alderley Edge' }),
  c(['3 Rosemount Pl', 'Perth PH2 7EH'], { buildingNumber: '3', street: 'Rosemount Place', town: 'Perth', postcode: 'PH2 7EH' }),
  c(['Flat 11, Marlowe Hse, 25 Palmerston Rd, Southsea, Portsmouth PO5 3QQ'], { subBuilding: 'Flat 11', buildingName: 'Marlowe House', buildingNumber: '25', street: 'Palmerston Road', locality: 'Southsea', town: 'Portsmouth', postcode: 'PO5 3QQ' }),
  c(['Room 2', '64 Hyde Park Rd', 'Leeds', 'LS6 1AG'], { subBuilding: 'Room 2', buildingNumber: '64', street: 'Hyde Park Road', town: 'Leeds', postcode: 'LS6 1AG' }),
  c(['9 Fox Hollow', 'Biddulph', 'Stoke-on-Trent'], { buildingNumber: '9', street: 'Fox Hollow', locality: 'Biddulph', town: 'Stoke-on-Trent' }),
  c(['Flat 18, 2-4 Trinity Sq, Hull'], { subBuilding: 'Flat 18', buildingNumber: '2-4', street: 'Trinity Square', town: 'Hull' }),
  c(['Greystones', 'Fell Lane', 'Keswick', 'Cumbria', 'CA12 5BJ'], { buildingName: 'Greystones', street: 'Fell Lane', town: 'Keswick', postcode: 'CA12 5BJ' }),
];

/** Harder hand-written cases, added after the tuning and measured once, never used to adjust the rules. */
const HAND_HELD_OUT_HARD: LabelledAddress[] = [
  c(['flat 3 14 beech road leeds ls8 2aa'], { subBuilding: 'Flat 3', buildingNumber: '14', street: 'beech Road', town: 'leeds', postcode: 'LS8 2AA' }),
  c(['Flat 1A', '5 Chestnut Ave.', 'Eastleigh'], { subBuilding: 'Flat 1A', buildingNumber: '5', street: 'Chestnut Avenue', town: 'Eastleigh' }),
  c(['Top Flat', '27 Gloucester Rd', 'Bristol'], { subBuilding: 'Top Flat', buildingNumber: '27', street: 'Gloucester Road', town: 'Bristol' }),
  c(['St. Mary\'s Court', 'Flat 4', 'Beach Rd', 'Weston-super-Mare'], { subBuilding: 'Flat 4', buildingName: 'St. Mary\'s Court', street: 'Beach Road', town: 'Weston-super-Mare' }),
  c(['1 The Paddock', 'Ely'], { buildingNumber: '1', street: 'The Paddock', town: 'Ely' }),
  c(['The Paddock', 'Ely'], { street: 'The Paddock', town: 'Ely' }),
  c(['Flat 6 The Maltings', 'Mill St', 'Bedford'], { subBuilding: 'Flat 6', buildingName: 'The Maltings', street: 'Mill Street', town: 'Bedford' }),
  c(['33 High Street North', 'Dunstable'], { buildingNumber: '33', street: 'High Street North', town: 'Dunstable' }),
  c(['Flat 2', '1-3 Bath St', 'Ilkeston', 'Derbyshire', 'DE7 8FB'], { subBuilding: 'Flat 2', buildingNumber: '1-3', street: 'Bath Street', town: 'Ilkeston', postcode: 'DE7 8FB' }),
  c(['Apartment 1204', 'Beetham Tower', '301 Deansgate', 'Manchester', 'M3 4LQ'], { subBuilding: 'Apartment 1204', buildingName: 'Beetham Tower', buildingNumber: '301', street: 'Deansgate', town: 'Manchester', postcode: 'M3 4LQ' }),
  c(['4 Back Lane', 'Off Main Street', 'Cononley'], { buildingNumber: '4', street: 'Back Lane', locality: 'Off Main Street', town: 'Cononley' }),
  c(['Flat 5, 2 Victoria Rd, Swindon, Wilts, SN1 3AJ'], { subBuilding: 'Flat 5', buildingNumber: '2', street: 'Victoria Road', town: 'Swindon', postcode: 'SN1 3AJ' }),
  c(['7 Windsor Terr', 'Penarth'], { buildingNumber: '7', street: 'Windsor Terrace', town: 'Penarth' }),
  c(['Plot 12', 'Meadow View', 'Cottam', 'Preston'], { subBuilding: 'Plot 12', street: 'Meadow View', locality: 'Cottam', town: 'Preston' }),
  c(['22B', 'Nelson St', 'Lancaster'], { buildingNumber: '22B', street: 'Nelson Street', town: 'Lancaster' }),
  c(['Flat 0/2', '18 Cathcart Rd', 'Glasgow'], { subBuilding: 'Flat 0/2', buildingNumber: '18', street: 'Cathcart Road', town: 'Glasgow' }),
  c(['First Floor', '45 Broad St', 'Oxford'], { subBuilding: 'First Floor', buildingNumber: '45', street: 'Broad Street', town: 'Oxford' }),
  c(['Flat 3', 'Alexandra Ct', 'Grove Rd', 'Hove'], { subBuilding: 'Flat 3', buildingName: 'Alexandra Court', street: 'Grove Road', town: 'Hove' }),
  c(['5 Alexandra Ct', 'Hove'], { buildingNumber: '5', street: 'Alexandra Court', town: 'Hove' }),
  c(['Studio 8', '40 Cowley Rd', 'Oxford', 'OX4 1HZ'], { subBuilding: 'Studio 8', buildingNumber: '40', street: 'Cowley Road', town: 'Oxford', postcode: 'OX4 1HZ' }),
  c(['Rear Flat', '18 London Rd', 'Leicester'], { subBuilding: 'Rear Flat', buildingNumber: '18', street: 'London Road', town: 'Leicester' }),
  c(['Flat 10, Block B, Hulme Gardens, Manchester'], { subBuilding: 'Flat 10', buildingName: 'Block B', street: 'Hulme Gardens', town: 'Manchester' }),
  c(['The Flat', '2 Market Sq', 'Penrith'], { subBuilding: 'The Flat', buildingNumber: '2', street: 'Market Square', town: 'Penrith' }),
  c(['12 Kings Cres', 'Rosyth', 'Dunfermline', 'Fife', 'KY11 2RS'], { buildingNumber: '12', street: 'Kings Crescent', locality: 'Rosyth', town: 'Dunfermline', postcode: 'KY11 2RS' }),
  c(['Flat 4', '61 Rue de la Paix', 'London'], { subBuilding: 'Flat 4', buildingNumber: '61', street: 'Rue de la Paix', town: 'London' }),
  c(['Holly Tree Farm', 'Sutton-under-Whitestonecliffe', 'Thirsk'], { buildingName: 'Holly Tree Farm', locality: 'Sutton-under-Whitestonecliffe', town: 'Thirsk' }),
  c(['Flat 2', '9 Upper Brook St', 'London', 'W1K 6PE'], { subBuilding: 'Flat 2', buildingNumber: '9', street: 'Upper Brook Street', town: 'London', postcode: 'W1K 6PE' }),
  c(['16 St Andrews Sq', 'Edinburgh EH2 2AF'], { buildingNumber: '16', street: 'St Andrews Square', town: 'Edinburgh', postcode: 'EH2 2AF' }),
  c(['Flat 22 Arden House', '3 Pitfield St', 'London', 'N1 6HA'], { subBuilding: 'Flat 22', buildingName: 'Arden House', buildingNumber: '3', street: 'Pitfield Street', town: 'London', postcode: 'N1 6HA' }),
  c(['Room 3, 14 Brudenell Grove, Leeds'], { subBuilding: 'Room 3', buildingNumber: '14', street: 'Brudenell Grove', town: 'Leeds' }),
];

/** Hand-written hard cases looked at while tuning. */
const HAND_TUNING: LabelledAddress[] = [
  c(['Flat 2', '12 Moor Road', 'Leeds'], { subBuilding: 'Flat 2', buildingNumber: '12', street: 'Moor Road', town: 'Leeds' }),
  c(['Flat 2/3, 41 Kelvin St, Glasgow G3 7RP'], { subBuilding: 'Flat 2/3', buildingNumber: '41', street: 'Kelvin Street', town: 'Glasgow', postcode: 'G3 7RP' }),
  c(['12 Moor Road, Leeds LS6 1AA'], { buildingNumber: '12', street: 'Moor Road', town: 'Leeds', postcode: 'LS6 1AA' }),
  c(['Ground Floor Flat', '7 Cliff Tce, Leeds'], { subBuilding: 'Ground Floor Flat', buildingNumber: '7', street: 'Cliff Terrace', town: 'Leeds' }),
  c(['Rose Cottage', 'Church Lane', 'Leeds'], { buildingName: 'Rose Cottage', street: 'Church Lane', town: 'Leeds' }),
  c(['Bronte House', '14a Moor Rd', 'Headingley', 'Leeds'], { buildingName: 'Bronte House', buildingNumber: '14a', street: 'Moor Road', locality: 'Headingley', town: 'Leeds' }),
  c(['12 Bronte House', 'Moor Road', 'Leeds'], { subBuilding: '12', buildingName: 'Bronte House', street: 'Moor Road', town: 'Leeds' }),
  c(['Flat 2 Bronte House', '12-14 St Johns Rd', 'Hyde Park', 'Leeds', 'West Yorkshire'], { subBuilding: 'Flat 2', buildingName: 'Bronte House', buildingNumber: '12-14', street: 'St Johns Road', locality: 'Hyde Park', town: 'Leeds' }),
  c(['12', 'Moor Road', 'Leeds'], { buildingNumber: '12', street: 'Moor Road', town: 'Leeds' }),
  c(['Flat 2 12 Moor Road', 'Leeds'], { subBuilding: 'Flat 2', buildingNumber: '12', street: 'Moor Road', town: 'Leeds' }),
  c(['FLAT 2', '12 MOOR RD', 'LEEDS', 'LS6 1AA'], { subBuilding: 'Flat 2', buildingNumber: '12', street: 'MOOR Road', town: 'LEEDS', postcode: 'LS6 1AA' }),
  c(['Apt 4', 'The Wharf', '1 Canal St', 'Manchester'], { subBuilding: 'Apartment 4', buildingName: 'The Wharf', buildingNumber: '1', street: 'Canal Street', town: 'Manchester' }),
  c(['Rose Cottage', 'Leeds'], { buildingName: 'Rose Cottage', town: 'Leeds' }),
  c(['5 Broadway', 'Bradford', 'BD1 1JF'], { buildingNumber: '5', street: 'Broadway', town: 'Bradford', postcode: 'BD1 1JF' }),
  c(['Flat A', '3 Sefton Park Rd', 'Liverpool'], { subBuilding: 'Flat A', buildingNumber: '3', street: 'Sefton Park Road', town: 'Liverpool' }),
  c(['Unit 1', 'Dock Buildings', 'Quay St', 'Bristol'], { subBuilding: 'Unit 1', buildingName: 'Dock Buildings', street: 'Quay Street', town: 'Bristol' }),
  c(['3 Acacia Avenue', '', '', 'Leeds'], { buildingNumber: '3', street: 'Acacia Avenue', town: 'Leeds' }),
  c(['22 Station Road', 'Horsforth', 'Leeds', 'LS18 5NT'], { buildingNumber: '22', street: 'Station Road', locality: 'Horsforth', town: 'Leeds', postcode: 'LS18 5NT' }),
  c(['Flat 3', '8 Park Lane'], { subBuilding: 'Flat 3', buildingNumber: '8', street: 'Park Lane', postcode: 'SE15 2RZ' }, 'SE15 2RZ'),
  c(['The Coach House, Hall Lane, Leeds'], { buildingName: 'The Coach House', street: 'Hall Lane', town: 'Leeds' }),
];

// Generated cases ------------------------------------------------------------------------------------------------

interface Vocab {
  streets: [name: string, type: string][];
  buildings: string[];
  towns: [town: string, localities: string[], postcodes: string[]][];
  houses: string[];
}
const TYPES: Record<string, string[]> = {
  Road: ['Road', 'Rd', 'RD', 'Rd.'], Street: ['Street', 'St', 'St.'], Avenue: ['Avenue', 'Ave', 'Av'], Crescent: ['Crescent', 'Cres'],
  Close: ['Close', 'Cl'], Gardens: ['Gardens', 'Gdns'], Court: ['Court', 'Ct'], Lane: ['Lane', 'Ln'], Drive: ['Drive', 'Dr'], Terrace: ['Terrace', 'Tce', 'Terr'],
  Grove: ['Grove', 'Gr'], Place: ['Place', 'Pl'], Square: ['Square', 'Sq'], Way: ['Way'], Walk: ['Walk'], Mews: ['Mews'], Row: ['Row'], Hill: ['Hill'], Park: ['Park', 'Pk'],
};
const TUNING_VOCAB: Vocab = {
  streets: [['Moor', 'Road'], ['Harehills', 'Lane'], ['Victoria', 'Street'], ['Ash', 'Grove'], ['Spen', 'Lane'], ['Otley', 'Road'], ['Granby', 'Street'],
    ['Regent', 'Park'], ['Cardigan', 'Road'], ['Brudenell', 'Avenue'], ['Kirkstall', 'Lane'], ['Hawksworth', 'Drive'], ['Woodhouse', 'Square'],
    ['Meanwood', 'Close'], ['Tong', 'Way'], ['Belle Vue', 'Road'], ['Church', 'Street'], ['Beechwood', 'Crescent'], ['Manor', 'Gardens'],
    ['Albion', 'Place'], ['Leopold', 'Terrace'], ['Mill', 'Walk'], ['Quarry', 'Hill'], ['Pottery', 'Row'], ['Cliff', 'Mews'], ['Oak', 'Court']],
  buildings: ['Bronte House', 'Attlee House', 'Cottingley Towers', 'Lupton Court', 'Raynville Point', 'Clyde Mansions', 'Parkside Lodge',
    'Ebor Court', 'Brunswick Heights', 'Kirkdale Tower'],
  towns: [['Leeds', ['Headingley', 'Armley', 'Chapeltown', 'Beeston', 'Seacroft'], ['LS6 1AA', 'LS12 3BB', 'LS7 4DE', 'LS11 8QR', 'LS14 6UU']],
    ['London', ['Peckham', 'Bow', 'Hackney', 'Brixton'], ['SE15 2RZ', 'E3 5DP', 'E8 1AA', 'SW2 1RW']],
    ['Manchester', ['Moss Side', 'Hulme', 'Ancoats'], ['M14 4GF', 'M15 5AB', 'M4 7HR']],
    ['Bradford', ['Manningham', 'Little Horton'], ['BD8 7AB', 'BD5 0BQ']],
    ['Glasgow', ['Govan', 'Partick', 'Dennistoun'], ['G51 3AA', 'G11 5AB', 'G31 2XY']]],
  houses: ['Rose Cottage', 'The Laurels', 'Holly Lodge', 'Mill House', 'The Old Barn', 'Fern Villa', 'Stoneleigh', 'Rowan Farm'],
};
const HELD_OUT_VOCAB: Vocab = {
  streets: [['Wellington', 'Road'], ['Castle', 'Street'], ['Primrose', 'Avenue'], ['Hazel', 'Crescent'], ['Sandy', 'Lane'], ['Hollybush', 'Close'],
    ['Nelson', 'Terrace'], ['Queen', 'Square'], ['Larch', 'Gardens'], ['Foxglove', 'Way'], ['Chapel', 'Row'], ['Bank', 'Place'], ['Mount Pleasant', 'Road']],
  buildings: ['Nightingale House', 'Hilda Court', 'Winterton Tower', 'Seaview Mansions', 'Elmfield Lodge', 'Canterbury Point'],
  towns: [['Sheffield', ['Broomhall', 'Darnall', 'Firth Park'], ['S10 2HT', 'S9 4AA', 'S5 6HB']],
    ['Bristol', ['Easton', 'Knowle'], ['BS5 6AA', 'BS4 2DP']],
    ['Newcastle upon Tyne', ['Byker', 'Heaton'], ['NE6 1AB', 'NE6 5XY']],
    ['Cardiff', ['Splott', 'Grangetown'], ['CF24 2AA', 'CF11 6LH']]],
  houses: ['Briar Cottage', 'The Willows', 'Ivy House', 'Hillcrest', 'Old School House', 'Meadow Barn'],
};

/** A small seeded generator (mulberry32): the same set every run. */
const random = seededRandom;

function generate(seed: number, n: number, v: Vocab): LabelledAddress[] {
  const r = random(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const out: LabelledAddress[] = [];
  for (let k = 0; k < n; k++) {
    const [name, type] = pick(v.streets);
    const written = `${name} ${pick(TYPES[type]!)}`;
    const street = `${name} ${type}`;
    const [town, localities, postcodes] = pick(v.towns);
    const pc = pick(postcodes);
    const num = String(1 + Math.floor(r() * 180)) + (r() < 0.12 ? pick(['a', 'b', 'A']) : '');
    const flatNo = String(1 + Math.floor(r() * 40));
    const flat = r() < 0.1 && town === 'Glasgow' ? `Flat ${1 + Math.floor(r() * 3)}/${1 + Math.floor(r() * 3)}` : pick([`Flat ${flatNo}`, `Flat ${flatNo}`, `Apartment ${flatNo}`, `Room ${flatNo}`, `Unit ${flatNo}`, 'Ground Floor Flat', 'First Floor Flat', `Flat ${pick(['A', 'B', 'C'])}`]);
    const locality = pick(localities);
    const withLocality = r() < 0.3;
    const tail = withLocality ? [locality, town] : [town];
    const tailExpect = withLocality ? { locality, town } : { town };
    const separatePostcode = r() < 0.6;
    const pcExpect = { postcode: pc };
    const finish = (lines: string[]): { lines: string[]; postcode?: string } => {
      if (separatePostcode) return { lines, postcode: pc };
      const last = lines.length - 1;
      return { lines: r() < 0.5 ? [...lines, pc] : [...lines.slice(0, last), `${lines[last]} ${pc}`] };
    };
    const pattern = Math.floor(r() * 12);
    let lines: string[];
    let expect: Partial<AddressParts>;
    switch (pattern) {
      case 0: lines = [`${num} ${written}`, ...tail]; expect = { buildingNumber: num, street }; break;
      case 1: lines = [flat, `${num} ${written}`, ...tail]; expect = { subBuilding: flat, buildingNumber: num, street }; break;
      case 2: { const b = pick(v.buildings); lines = [flat, b, `${num} ${written}`, ...tail]; expect = { subBuilding: flat, buildingName: b, buildingNumber: num, street }; break; }
      case 3: { const hse = pick(v.houses); lines = [hse, written, ...tail]; expect = { buildingName: hse, street }; break; }
      case 4: { const b = pick(v.buildings); lines = [`${flat} ${b}`, written, ...tail]; expect = { subBuilding: flat, buildingName: b, street }; break; }
      case 5: { const b = pick(v.buildings); lines = [`${flatNo} ${b}`, written, ...tail]; expect = { subBuilding: flatNo, buildingName: b, street }; break; }
      case 6: lines = [num, written, ...tail]; expect = { buildingNumber: num, street }; break;
      case 7: { const to = String(Number.parseInt(num, 10) + 2); lines = [`${Number.parseInt(num, 10)}-${to} ${written}`, ...tail]; expect = { buildingNumber: `${Number.parseInt(num, 10)}-${to}`, street }; break; }
      case 8: lines = [`${flat} ${num} ${written}`, ...tail]; expect = { subBuilding: flat, buildingNumber: num, street }; break;
      case 9: { const b = pick(v.buildings); lines = [`${flat}, ${b}, ${num} ${written}, ${tail.join(', ')}`]; expect = { subBuilding: flat, buildingName: b, buildingNumber: num, street }; break; }
      case 10: lines = [`${num} ${written}, ${tail.join(', ')}`]; expect = { buildingNumber: num, street }; break;
      default: { const hse = pick(v.houses); lines = [`${hse}, ${written}`, ...tail]; expect = { buildingName: hse, street }; break; }
    }
    const done = finish(lines);
    out.push({ ...done, expect: { ...expect, ...tailExpect, ...pcExpect } });
  }
  return out;
}

export const TUNING: readonly LabelledAddress[] = [...HAND_TUNING, ...generate(11, 420, TUNING_VOCAB)];
export const HELD_OUT: readonly LabelledAddress[] = [...HAND_HELD_OUT, ...HAND_HELD_OUT_HARD, ...generate(2026, 110, HELD_OUT_VOCAB)];

export interface PartAccuracy { part: keyof AddressParts; correct: number; total: number; accuracy: number }
/** Per-part accuracy (exact match, null for absent) and the share of addresses with every part right. */
export function measure(set: readonly LabelledAddress[], parse: (lines: string[], postcode?: string) => AddressParts) {
  const parts = ['subBuilding', 'buildingName', 'buildingNumber', 'street', 'locality', 'town', 'postcode'] as const;
  const correct = Object.fromEntries(parts.map((p) => [p, 0])) as Record<(typeof parts)[number], number>;
  let whole = 0;
  const misses: { lines: string[]; part: string; expected: string | null; got: string | null }[] = [];
  for (const x of set) {
    const got = parse(x.lines, x.postcode);
    let all = true;
    for (const p of parts) {
      const want = x.expect[p] ?? null;
      if ((got[p] ?? null) === want) correct[p]++;
      else { all = false; misses.push({ lines: x.lines, part: p, expected: want, got: got[p] ?? null }); }
    }
    if (all) whole++;
  }
  const perPart: PartAccuracy[] = parts.map((p) => ({ part: p, correct: correct[p], total: set.length, accuracy: correct[p] / set.length }));
  return { perPart, whole: whole / set.length, size: set.length, misses };
}

// Places for the synthetic demo landlord: English council areas with real districts and their outward postcodes
// (the inward halves are made up, so the postcodes are well-formed but not real addresses), Ofcom drama-range
// telephone numbers, and the names estates, blocks and streets are given.

export interface District {
  name: string;
  outward: string[];
}

export interface Region {
  key: string;
  town: string;
  localAuthority: string;
  /** Ofcom drama range for the area, E.164 without the last three digits ("+441134960" + "123"). */
  landline: string;
  districts: District[];
  /** Most London addresses carry the district as a locality; elsewhere less often. */
  localityShare: number;
  /** Roughly the middle of its homes (WGS84): the demo's homes are placed around it, clustered by estate. */
  centre: { latitude: number; longitude: number };
}

export const REGIONS: Region[] = [
  {
    key: 'leeds', town: 'Leeds', localAuthority: 'Leeds City Council', landline: '+441134960', localityShare: 0.5, centre: { latitude: 53.8, longitude: -1.549 },
    districts: [
      { name: 'Headingley', outward: ['LS6'] }, { name: 'Chapeltown', outward: ['LS7'] }, { name: 'Harehills', outward: ['LS8', 'LS9'] },
      { name: 'Richmond Hill', outward: ['LS9'] }, { name: 'Beeston', outward: ['LS11'] }, { name: 'Armley', outward: ['LS12'] },
      { name: 'Seacroft', outward: ['LS14'] }, { name: 'Middleton', outward: ['LS10'] }, { name: 'Bramley', outward: ['LS13'] },
    ],
  },
  {
    key: 'manchester', town: 'Manchester', localAuthority: 'Manchester City Council', landline: '+441614960', localityShare: 0.5, centre: { latitude: 53.48, longitude: -2.242 },
    districts: [
      { name: 'Moss Side', outward: ['M14', 'M16'] }, { name: 'Hulme', outward: ['M15'] }, { name: 'Longsight', outward: ['M13'] },
      { name: 'Gorton', outward: ['M18'] }, { name: 'Collyhurst', outward: ['M40'] }, { name: 'Wythenshawe', outward: ['M22', 'M23'] },
      { name: 'Harpurhey', outward: ['M9'] }, { name: 'Ardwick', outward: ['M12'] },
    ],
  },
  {
    key: 'birmingham', town: 'Birmingham', localAuthority: 'Birmingham City Council', landline: '+441214960', localityShare: 0.5, centre: { latitude: 52.48, longitude: -1.899 },
    districts: [
      { name: 'Sparkbrook', outward: ['B11'] }, { name: 'Balsall Heath', outward: ['B12'] }, { name: 'Small Heath', outward: ['B10'] },
      { name: 'Handsworth', outward: ['B21'] }, { name: 'Kingstanding', outward: ['B44'] }, { name: 'Ladywood', outward: ['B16'] },
      { name: 'Druids Heath', outward: ['B14'] }, { name: 'Castle Vale', outward: ['B35'] },
    ],
  },
  {
    key: 'hackney', town: 'London', localAuthority: 'London Borough of Hackney', landline: '+442079460', localityShare: 0.85, centre: { latitude: 51.545, longitude: -0.055 },
    districts: [
      { name: 'Hackney', outward: ['E8'] }, { name: 'Homerton', outward: ['E9'] }, { name: 'Clapton', outward: ['E5'] },
      { name: 'Stoke Newington', outward: ['N16'] }, { name: 'Hoxton', outward: ['N1'] }, { name: 'Woodberry Down', outward: ['N4'] },
    ],
  },
  {
    key: 'southwark', town: 'London', localAuthority: 'London Borough of Southwark', landline: '+442079460', localityShare: 0.85, centre: { latitude: 51.48, longitude: -0.075 },
    districts: [
      { name: 'Peckham', outward: ['SE15'] }, { name: 'Camberwell', outward: ['SE5'] }, { name: 'Walworth', outward: ['SE17'] },
      { name: 'Bermondsey', outward: ['SE16'] }, { name: 'East Dulwich', outward: ['SE22'] }, { name: 'Elephant and Castle', outward: ['SE1'] },
    ],
  },
  {
    key: 'bristol', town: 'Bristol', localAuthority: 'Bristol City Council', landline: '+441174960', localityShare: 0.5, centre: { latitude: 51.455, longitude: -2.588 },
    districts: [
      { name: 'Easton', outward: ['BS5'] }, { name: 'Knowle', outward: ['BS4'] }, { name: 'Southmead', outward: ['BS10'] },
      { name: 'Hartcliffe', outward: ['BS13'] }, { name: 'Lockleaze', outward: ['BS7'] }, { name: 'Bedminster', outward: ['BS3'] },
    ],
  },
  {
    key: 'sheffield', town: 'Sheffield', localAuthority: 'Sheffield City Council', landline: '+441144960', localityShare: 0.5, centre: { latitude: 53.381, longitude: -1.47 },
    districts: [
      { name: 'Park Hill', outward: ['S2'] }, { name: 'Parson Cross', outward: ['S5'] }, { name: 'Gleadless Valley', outward: ['S14'] },
      { name: 'Burngreave', outward: ['S4'] }, { name: 'Darnall', outward: ['S9'] }, { name: 'Stannington', outward: ['S6'] },
    ],
  },
  {
    key: 'newcastle', town: 'Newcastle upon Tyne', localAuthority: 'Newcastle City Council', landline: '+441914980', localityShare: 0.5, centre: { latitude: 54.978, longitude: -1.617 },
    districts: [
      { name: 'Byker', outward: ['NE6'] }, { name: 'Benwell', outward: ['NE4'] }, { name: 'Walker', outward: ['NE6'] },
      { name: 'Cowgate', outward: ['NE5'] }, { name: 'Kenton', outward: ['NE3'] }, { name: 'Heaton', outward: ['NE6'] },
    ],
  },
  {
    key: 'liverpool', town: 'Liverpool', localAuthority: 'Liverpool City Council', landline: '+441514960', localityShare: 0.5, centre: { latitude: 53.408, longitude: -2.978 },
    districts: [
      { name: 'Everton', outward: ['L5', 'L6'] }, { name: 'Toxteth', outward: ['L8'] }, { name: 'Anfield', outward: ['L4'] },
      { name: 'Norris Green', outward: ['L11'] }, { name: 'Kirkdale', outward: ['L4', 'L20'] }, { name: 'Speke', outward: ['L24'] },
    ],
  },
  {
    key: 'nottingham', town: 'Nottingham', localAuthority: 'Nottingham City Council', landline: '+441154960', localityShare: 0.5, centre: { latitude: 52.954, longitude: -1.158 },
    districts: [
      { name: 'The Meadows', outward: ['NG2'] }, { name: 'Radford', outward: ['NG7'] }, { name: 'Clifton', outward: ['NG11'] },
      { name: 'Bulwell', outward: ['NG6'] }, { name: 'Sneinton', outward: ['NG3'] }, { name: 'Aspley', outward: ['NG8'] },
    ],
  },
];

/** Letters allowed in the last two places of a postcode's inward code (not C, I, K, M, O or V). */
export const INWARD_LETTERS = 'ABDEFGHJLNPQRSTUWXYZ';

/** Block and street name stems, in themes: an estate's blocks and roads usually share one. */
export const THEMES: Record<string, string[]> = {
  writers: ['Bronte', 'Austen', 'Dickens', 'Hardy', 'Eliot', 'Orwell', 'Wordsworth', 'Tennyson', 'Keats', 'Shelley', 'Byron', 'Blake', 'Chaucer', 'Milton', 'Gaskell', 'Woolf', 'Kipling', 'Trollope', 'Defoe', 'Brontë'],
  birds: ['Kestrel', 'Heron', 'Kingfisher', 'Swallow', 'Falcon', 'Merlin', 'Osprey', 'Wren', 'Lapwing', 'Curlew', 'Skylark', 'Linnet', 'Goldcrest', 'Plover', 'Redwing', 'Siskin', 'Nuthatch', 'Fieldfare', 'Dunlin', 'Kite'],
  trees: ['Oak', 'Elm', 'Ash', 'Rowan', 'Hawthorn', 'Beech', 'Willow', 'Cedar', 'Hazel', 'Alder', 'Birch', 'Larch', 'Juniper', 'Holly', 'Sycamore', 'Chestnut', 'Poplar', 'Maple', 'Linden', 'Yew'],
  reformers: ['Attlee', 'Bevan', 'Lansbury', 'Pankhurst', 'Seacole', 'Wilberforce', 'Keir Hardie', 'Fry', 'Owen', 'Morris', 'Ruskin', 'Octavia', 'Nightingale', 'Lovelace', 'Cavell', 'Rathbone', 'Bondfield', 'Wilkinson', 'Tolpuddle', 'Chartist'],
  scientists: ['Faraday', 'Darwin', 'Newton', 'Turing', 'Brunel', 'Telford', 'Stephenson', 'Watt', 'Hooke', 'Franklin', 'Herschel', 'Dalton', 'Jenner', 'Fleming', 'Babbage', 'Boyle', 'Maxwell', 'Priestley', 'Somerville', 'Hodgkin'],
  rivers: ['Aire', 'Calder', 'Wharfe', 'Don', 'Severn', 'Avon', 'Tyne', 'Mersey', 'Trent', 'Thames', 'Irwell', 'Medlock', 'Tame', 'Wear', 'Ouse', 'Derwent', 'Nidd', 'Swale', 'Ribble', 'Lune'],
  hills: ['Pennine', 'Malvern', 'Cheviot', 'Quantock', 'Mendip', 'Chiltern', 'Cotswold', 'Skiddaw', 'Helvellyn', 'Snowdon', 'Ingleborough', 'Kinder', 'Pendle', 'Whernside', 'Wrekin', 'Cleeve', 'Roseberry', 'Langdale', 'Kirkstone', 'Blencathra'],
  composers: ['Elgar', 'Purcell', 'Holst', 'Britten', 'Delius', 'Handel', 'Vaughan Williams', 'Tallis', 'Byrd', 'Walton', 'Arne', 'Parry', 'Stanford', 'Tippett', 'Smyth', 'Coleridge-Taylor', 'Butterworth', 'Finzi', 'Bliss', 'Ireland'],
};

/** Estate names: a stem and an ending ("Millfield"), or a person ("Brontë Estate"). */
export const ESTATE_STEMS = ['Mill', 'Brook', 'Hill', 'Park', 'Meadow', 'Ash', 'Oak', 'Thorn', 'Wood', 'High', 'Broad', 'Kings', 'Fair',
  'Long', 'Green', 'Moor', 'West', 'East', 'North', 'Holly', 'Elm', 'Beck', 'Lark', 'Cross', 'Stone', 'Wind', 'Spring', 'Bram',
  'Hazel', 'Clay', 'Marsh', 'Red', 'Black', 'White', 'Chapel', 'Church', 'Abbey', 'Castle', 'Lea', 'Sand'];
export const ESTATE_ENDINGS = ['field', 'wood', 'side', 'bank', 'mead', 'gate', 'moor', 'croft', 'dale', 'hurst', 'leigh', 'ley', 'thorpe', 'well', 'brook', 'hill'];
export const ESTATE_KINDS = ['', '', ' Estate', ' Estate', ' Park', ' Grange', ' Gardens', ' Green'];
export const ESTATE_PEOPLE = ['Brontë', 'Attlee', 'Bevan', 'Lansbury', 'Pankhurst', 'Seacole', 'Wordsworth', 'Blake', 'Morris', 'Ruskin',
  'Tennyson', 'Chaucer', 'Milton', 'Keats', 'Shelley', 'Brunel', 'Faraday', 'Darwin', 'Nightingale', 'Aneurin Bevan', 'Dickens',
  'Orwell', 'Hardy', 'Turing', 'Elgar', 'Whittington', 'Churchill', 'Mandela'];

export const BLOCK_SUFFIX = {
  tower: ['Tower', 'Point', 'Heights', 'House'],
  medium: ['House', 'Court', 'House', 'Heights'],
  lowrise: ['House', 'Court', 'Lodge', 'Mansions', 'Court'],
  small: ['Court', 'Lodge', 'Mews', 'Cottages'],
};

export const STREET_SUFFIXES = ['Road', 'Street', 'Avenue', 'Close', 'Lane', 'Grove', 'Crescent', 'Way', 'Drive', 'Terrace', 'Gardens', 'Walk', 'Place', 'Rise', 'View', 'Mount'];

export const HEIGHT_SOURCES = {
  measured: ['Fire risk assessment 2024', 'Measured survey 2023', 'Fire risk assessment 2025', 'Measured survey 2021'],
  estimated: ['Estimated: storeys × 3 m'],
};

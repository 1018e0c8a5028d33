// Seeded UK-style synthetic people with known truth, for tests and the linkage bench. Each person has several source
// records (housing, repairs, rents…) with typos, nicknames, swapped names, day/month transpositions, one-digit date
// errors, UK date formats, marriage name changes, moved addresses and missing fields; households share surname,
// address, UPRN and landline but are different people.
import type { PersonRecord } from '../types.ts';
import { rng } from './model.ts';

const MALE = 'james john robert michael william david richard thomas charles christopher daniel matthew anthony mark paul steven andrew kenneth joshua kevin brian george edward ronald timothy jason jeffrey ryan jacob gary nicholas eric jonathan stephen larry justin scott brandon benjamin samuel gregory alexander frank patrick raymond jack dennis peter harry oliver leo arthur noah muhammad ahmed ibrahim yusuf omar ali hassan tariq imran bilal rajesh sanjay amit vikram arjun rohan krzysztof tomasz piotr pawel jan kwame chukwuemeka oluwaseun adebayo emeka tunde kofi dafydd gareth rhys owen dylan sean ciaran padraig liam connor callum kieran lewis jamie ross craig alistair hamish angus fraser euan struan'.split(' ');
const FEMALE = 'mary patricia jennifer linda elizabeth barbara susan jessica sarah karen nancy margaret lisa betty dorothy sandra ashley kimberly donna emily michelle carol amanda melissa deborah stephanie rebecca laura sharon cynthia kathleen amy shirley angela helen anna brenda pamela nicola emma olivia amelia isla ava sophie grace lily chloe ellie freya charlotte katherine victoria rachel hannah fatima aisha mariam khadija zainab priya anjali sunita deepa katarzyna agnieszka malgorzata magdalena ngozi chioma funmilayo adaeze abena rhiannon cerys siobhan niamh aoife roisin ciara morag eilidh kirsty fiona catriona ailsa shona isobel'.split(' ');
const COMMON_SURNAMES = 'smith jones williams taylor brown davies evans wilson thomas johnson roberts robinson thompson wright walker white edwards hughes green hall lewis harris clarke patel jackson wood turner martin cooper hill ward morris moore clark lee king baker harrison morgan allen james scott phillips watson davis parker price bennett young griffiths mitchell kelly cook carter richardson bailey collins bell shaw murphy miller cox richards khan marshall anderson simpson ellis adams singh begum wilkinson foster chapman powell webb rogers gray mason ali hunt hussain campbell matthews owen palmer holmes mills barnes knight lloyd butler russell barker fisher stevens jenkins murray dixon harvey graham pearson ahmed fletcher walsh kaur gibson howard andrews stewart elliott reynolds saunders payne fox ford pearce day brooks west lawrence cole atkinson bradley spencer gill dawson ball burton okafor adeyemi nowak kowalski mensah obi nwosu mahmood iqbal rahman chowdhury miah uddin sharma gupta mistry odonnell mccarthy oconnor byrne mackenzie macdonald fraser maclean'.split(' ');
const PRE = 'ash black brad brom cal chad craw dun east farn green hal har hart hol kings lang mar mid new north oak pen red ros south stan stock sut thorn wake wal west whit win wood ather bing brig car dar ell fen gar hay kel lin mor nor pel rad sel tal ven wes'.split(' ');
const SUF = 'worth ley ton field ford ham by well wood stone bridge hurst shaw croft dale more land wick burn cott thwaite son den hill low combe bury'.split(' ');
const STREETS = 'high church station park victoria mill queens kings moor albert manor green school york chapel north grange windsor hill springfield west meadow elm oak beech cedar willow ash forest bridge castle'.split(' ');
const STREET_TYPES = ['street', 'road', 'lane', 'avenue', 'close', 'drive', 'way', 'crescent', 'terrace', 'gardens', 'court', 'place'];
const AREAS = 'LS BD WF HX HD M B L S SK OL BL WN NE SR DH TS YO HU DN NG LE CV WS WV ST DE CH CF SA NP BS EX PL G EH AB DD KY'.split(' ');
const NICK: Record<string, string[]> = {
  james: ['jim', 'jimmy', 'jamie'], john: ['jack', 'johnny'], robert: ['bob', 'rob', 'bobby'], michael: ['mike', 'mick'], william: ['bill', 'will', 'billy'],
  david: ['dave', 'dai'], richard: ['rick', 'dick', 'rich'], thomas: ['tom', 'tommy'], charles: ['charlie', 'chas'], christopher: ['chris'], daniel: ['dan', 'danny'],
  matthew: ['matt'], anthony: ['tony'], steven: ['steve'], andrew: ['andy', 'drew'], kenneth: ['ken'], joshua: ['josh'], edward: ['ed', 'ted', 'eddie'],
  ronald: ['ron', 'ronnie'], timothy: ['tim'], jacob: ['jake'], nicholas: ['nick'], jonathan: ['jon'], stephen: ['steve'], samuel: ['sam'], alexander: ['alex', 'sandy'],
  patrick: ['pat', 'paddy'], peter: ['pete'], harry: ['hal'], muhammad: ['mohammed', 'mohamed', 'mo'], krzysztof: ['krzys'], tomasz: ['tomek'],
  elizabeth: ['liz', 'beth', 'betty', 'lizzie'], margaret: ['peggy', 'maggie', 'meg'], patricia: ['pat', 'trish'], jennifer: ['jen', 'jenny'], susan: ['sue'],
  katherine: ['kate', 'kathy', 'katie'], kathleen: ['kath', 'kathy'], rebecca: ['becky'], deborah: ['debbie'], victoria: ['vicky'], pamela: ['pam'],
  nicola: ['nicky'], amanda: ['mandy'], sandra: ['sandy'], dorothy: ['dot'], barbara: ['barb'], stephanie: ['steph'], charlotte: ['lottie'], katarzyna: ['kasia'],
  malgorzata: ['gosia'], magdalena: ['magda'], oluwaseun: ['seun'], funmilayo: ['funmi'], chukwuemeka: ['emeka'], mary: ['molly', 'polly'],
};

const cap = (s: string) => s.replace(/(^|[\s-'])([a-z])/g, (_m, a: string, b: string) => a + b.toUpperCase());

interface Person {
  id: number;
  given: string;
  middle: string | null;
  family: string;
  female: boolean;
  dob: [number, number, number];
  home: Home;
  mobile: string | null;
  email: string | null;
}
interface Home { address: string; postcode: string; uprn: string; landline: string | null }

export interface Synthetic {
  records: PersonRecord[];
  /** The true person per record (same index). */
  truth: string[];
}

/** n records (not people) of UK-style synthetic people, deterministic for a seed. */
export function generatePeople(n: number, seed = 1): Synthetic {
  const r = rng(seed);
  const pick = <T>(a: readonly T[]): T => a[Math.floor(r() * a.length)]!;
  const zipf = <T>(a: readonly T[]): T => a[Math.min(a.length - 1, Math.floor(Math.pow(r(), 2.2) * a.length))]!;
  const digits = (k: number) => {
    let s = '';
    for (let i = 0; i < k; i++) s += Math.floor(r() * 10);
    return s;
  };
  const surname = () => (r() < 0.55 ? zipf(COMMON_SURNAMES) : pick(PRE) + pick(SUF) + (r() < 0.3 ? pick(['s', 'e', 'er', 'ing']) : ''));
  let uprnNext = 100000000000;
  const newHome = (): Home => {
    const area = pick(AREAS) + (1 + Math.floor(r() * 30));
    const postcode = `${area} ${Math.floor(r() * 10)}${'ABDEFGHJLNPQRSTUWXYZ'[Math.floor(r() * 20)]}${'ABDEFGHJLNPQRSTUWXYZ'[Math.floor(r() * 20)]}`;
    const street = `${pick(STREETS)} ${pick(STREET_TYPES)}`;
    const address = r() < 0.25 ? `flat ${1 + Math.floor(r() * 40)} ${pick(PRE)}${pick(SUF)} house ${street}` : `${1 + Math.floor(r() * 200)} ${street}`;
    return { address, postcode, uprn: String(uprnNext++), landline: r() < 0.4 ? '+44113' + digits(7) : null };
  };
  const newDob = (minYear: number, maxYear: number): [number, number, number] => [minYear + Math.floor(r() * (maxYear - minYear + 1)), 1 + Math.floor(r() * 12), 1 + Math.floor(r() * 28)];
  const typo = (s: string): string => {
    if (s.length < 3) return s;
    const k = 1 + Math.floor(r() * (s.length - 2));
    const t = r();
    const letter = 'abcdefghijklmnopqrstuvwxyz'[Math.floor(r() * 26)]!;
    if (t < 0.3) return s.slice(0, k) + s.slice(k + 1); // deletion
    if (t < 0.55) return s.slice(0, k) + letter + s.slice(k + 1); // substitution
    if (t < 0.8) return s.slice(0, k) + s[k + 1] + s[k] + s.slice(k + 2); // transposition
    return s.slice(0, k) + letter + s.slice(k); // insertion
  };
  // an email address belongs to one person: a taken address gets a number, as the provider would insist
  const emails = new Set<string>();
  const newEmail = (given: string, family: string): string => {
    const domain = pick(['gmail.com', 'hotmail.co.uk', 'outlook.com', 'yahoo.co.uk', 'btinternet.com']);
    let e = `${given}.${family}${r() < 0.5 ? Math.floor(r() * 100) : ''}@${domain}`;
    while (emails.has(e)) e = `${given}.${family}${Math.floor(r() * 10000)}@${domain}`;
    emails.add(e);
    return e;
  };
  const records: PersonRecord[] = [];
  const truth: string[] = [];
  const SOURCES = ['housing', 'rents', 'repairs', 'asb', 'crm'];
  let pid = 0;
  while (records.length < n) {
    // a household of 1–5 people at one home; most share the family name
    const home = newHome();
    const size = r() < 0.45 ? 1 : 2 + Math.floor(r() * 4);
    const famName = surname();
    const parentYear = 1935 + Math.floor(r() * 60);
    const people: Person[] = [];
    for (let h = 0; h < size; h++) {
      const female = r() < 0.5;
      const child = h >= 2;
      const dob = child ? newDob(parentYear + 18, Math.min(parentYear + 45, 2010)) : newDob(parentYear - 5, parentYear + 5);
      let given = pick(female ? FEMALE : MALE);
      while (people.some((q) => q.given === given)) given = pick(female ? FEMALE : MALE);
      const family = h === 1 && r() < 0.2 ? surname() : famName;
      people.push({
        id: pid++, given, middle: r() < 0.3 ? pick(female ? FEMALE : MALE) : null, family, female, dob, home,
        mobile: r() < 0.6 ? '+447' + digits(9) : null,
        email: r() < 0.5 ? newEmail(given, family) : null,
      });
    }
    for (const person of people) {
      if (records.length >= n) break;
      const u = r();
      const copies = u < 0.4 ? 1 : u < 0.7 ? 2 : u < 0.9 ? 3 : 4;
      let movedHome: Home | null = null;
      for (let c = 0; c < copies && records.length < n; c++) {
        const clean = c === 0;
        let given = person.given;
        let family = person.family;
        if (!clean) {
          const nicks = NICK[given];
          if (nicks && r() < 0.2) given = pick(nicks);
          else if (r() < 0.1) given = typo(given);
          if (r() < 0.08) family = typo(family);
          if (person.female && r() < 0.04) family = surname(); // married name
          if (r() < 0.03) family = `${family}-${surname()}`; // double-barrelled
        }
        let [y, m, d] = person.dob;
        let dobStr: string | null;
        if (!clean && r() < 0.04 && d <= 12) [m, d] = [d, m];
        if (!clean && r() < 0.03) {
          const s = `${y}${String(m).padStart(2, '0')}${String(d).padStart(2, '0')}`.split('');
          const k = 2 + Math.floor(r() * 6);
          s[k] = String((Number(s[k]) + 1 + Math.floor(r() * 8)) % 10);
          [y, m, d] = [Number(s.slice(0, 4).join('')), Number(s.slice(4, 6).join('')), Number(s.slice(6, 8).join(''))];
        }
        const iso = `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
        dobStr = !clean && r() < 0.15 ? `${String(d).padStart(2, '0')}/${String(m).padStart(2, '0')}/${y}` : iso;
        if (!clean && r() < 0.05) dobStr = null;
        if (!clean && !movedHome && r() < 0.15) movedHome = newHome();
        const home = movedHome && r() < 0.8 ? movedHome : person.home;
        const swap = !clean && r() < 0.02;
        let address: string | null = home.address;
        if (!clean && r() < 0.1) address = typo(address);
        if (!clean && r() < 0.05) address = null;
        let postcode: string | null = home.postcode;
        if (!clean && r() < 0.05) postcode = null;
        if (postcode && r() < 0.2) postcode = postcode.replace(' ', '').toLowerCase();
        const first = swap ? family : given;
        const last = swap ? given : family;
        records.push({
          id: `${SOURCES[c % SOURCES.length]}-${records.length}`,
          sourceSystem: SOURCES[c % SOURCES.length]!,
          givenName: r() < 0.02 ? null : r() < 0.5 ? cap(first) : r() < 0.5 ? first.toUpperCase() : first,
          middleNames: person.middle,
          familyName: cap(last),
          dateOfBirth: dobStr,
          uprn: r() < 0.6 ? home.uprn : null,
          postcode,
          address,
          phone: r() < 0.5 ? person.mobile : r() < 0.7 ? home.landline : null,
          email: r() < 0.5 ? person.email : null,
        });
        truth.push(String(person.id));
      }
    }
  }
  return { records, truth };
}

// Labelled repair descriptions / notes for the damp and mould detector (bench/insight.ts).
// Built from seeded templates plus hand-written cases. Labels come from the template a text was built from
// (what a housing officer would say), never from the detector. Labelling rule (see damp-detector.ts): damp, mould,
// condensation or their signs present now or treated = true; negated, other meanings, prevention or hypotheticals = false.

import { seededRandom } from '../../platform/random.ts';

export interface LabelledNote { text: string; damp: boolean; hard?: boolean }

const mulberry32 = seededRandom;

const ROOMS = ['bathroom', 'kitchen', 'front bedroom', 'back bedroom', 'box room', 'lounge', 'living room', 'hallway', 'bedroom 2', 'landing', 'WC', "child's bedroom"];
const SURFACES = ['ceiling', 'wall', 'external wall', 'window reveal', 'corner of the ceiling', 'wall behind the wardrobe', 'chimney breast', 'window frame'];
const OPENERS = ['Tenant reports', 'Resident called to say', 'Customer states', 'T/C reports', 'Caller advised', 'Tenant rang,', 'Email from resident:', 'Res reports', 'Surveyor note:', 'Operative notes:', 'Job raised -', 'Visit notes:', 'Housing officer visit:', ''];
const UNRELATED = [
  'Kitchen tap dripping, needs new washer.', 'Front door lock sticking.', 'Bathroom extractor fan not working.', 'Fence panel blown down in garden.',
  'Toilet cistern running constantly.', 'Radiator in lounge cold at top, bleed required.', 'Loose banister on stairs.', 'Kitchen cupboard door hinge broken.',
  'Smoke alarm chirping, replace battery.', 'Gutter blocked at rear.', 'Shower tray cracked.', 'Light in hallway not working.', 'Window handle broken in bedroom.',
  'Tenant has young children.', 'Access via key safe, call ahead.', 'Vulnerable tenant, please call before attending.', 'Sink slow to drain.',
  'Boiler pressure dropping.', 'Letterbox flap missing.', 'Trip hazard on path.', 'Tenant is asthmatic.', 'Please attend am only.',
];
const NEXT = ['Please inspect.', 'Pls attend asap.', 'Raise follow on.', 'Tenant very upset.', 'Photos on file.', 'Third time reported.', 'Books appt for next wk.', 'Refer to surveyor.', '', '', ''];

// Positive phrases: {r} room, {s} surface. Direct and indirect, with misspellings.
const POS = [
  'black mould on the {s} in the {r}', 'black spots on the {s} in the {r}', 'mould growing around the {r} window', 'mold in the {r}', 'moulds coming back on {s}',
  'damp patch on the {s}', 'rising damp in the {r}', 'dampness on the {s} of the {r}', 'the {r} is really dammp', 'condensation on the windows every morning',
  'condensaton in {r}', 'condensation running down the inside of the windows', 'water running down the windows in the {r}', 'water pooling on the window sills',
  'musty smell in the {r}', 'a damp smell in the {r} that won\'t go', 'clothes in the wardrobe going mouldy', 'mildew on the curtains in the {r}', 'mildrew on the sealant',
  'fungus growing in the corner of the {r}', 'mushrooms growing out of the skirting in the {r}', 'walls are wet to touch in the {r}', 'wet walls in the {r}',
  'the {s} is always wet', 'green fuzzy growth on the window frames', 'black marks on the {s} that keep coming back', 'tide marks on the {s} in the {r}',
  'wallpaper peeling and the wall is soaking', 'penetrating damp on the gable wall', 'black mould on silicone round the bath', 'mould on the {s}, tenant has cleaned it twice',
  'mould behind the furniture in the {r}', 'windows streaming with water', 'windows are always steamed up and dripping', 'dry rot in the floor joists under the {r}',
  'mouldy smell when you walk in', 'grey fluffy patches on the {s}', 'black speckles on the {s} above the bath', 'condenstion really bad in {r}', 'dampnes in {r} getting worse',
  'white powdery salts on the {s}', 'DPC bridged by raised patio, damp showing internally', 'high moisture readings on the {s} of the {r}', 'mould spores on the {s}',
  'damp and mould in the {r}', 'the {r} smells of damp', 'mould treated with fungicidal wash in the {r}', 'mould washed down and stain block applied in {r}',
  'wet rot to the window sill', 'moisture collecting on the window sills', 'mouldy patches on the {s}', 'mold all over the {r} ceiling', 'bad condensation issue',
];

// Hard negatives: same vocabulary, other meanings, negated, prevention, hypotheticals, unrelated leaks.
const HARD = [
  'no sign of mould in the {r}', 'no damp found on inspection', '{r} checked, not damp', 'no evidence of damp or mould in the property', 'no damp, mould or condensation noted',
  'coving and mouldings to be made good in the {r}', 'replace moulded skirting in {r}', 'door damper needs adjusting on the fire door', 'damper on the boiler flue rattling',
  'mould-resistant paint requested for the {r}', 'anti-mould paint fitted as prevention', 'damp proof course inspected, no issues', 'leak under kitchen sink repaired, no damp to cabinet',
  'leak from toilet cistern fixed, floor dried, no damp', 'boiler condensate pipe frozen, thawed and lagged', 'condensation pipe from boiler frozen', 'replace misted double glazed unit in {r}',
  'wipe down with a damp cloth after use', 'damp and mould leaflet given as part of new tenancy pack', 'advised tenant to report any signs of mould', 'if you notice any damp please call us',
  'damp check carried out in all rooms, none found', 'damp meter readings normal throughout', 'no visible signs of damp in the {r}', 'there is no mould in the {r}',
  'install extractor fan to prevent condensation', 'trickle vents fitted to reduce the risk of condensation', 'surveyor found no damp', '{r} walls dry, no damp',
  'not mould, just dirt on the sealant', 'mould: none', 'damp - nil', 'tenant confirms no damp or mould since last visit', 'mould no longer present in the {r}',
  'checked for damp, all clear', 'inspected {r} for damp, nothing found', 'stained ceiling from old leak, dry now, no damp', 'roof leak repaired, ceiling dry',
  'kitchen cornice moulding damaged', 'fit new architrave moulding to door', 'ensure the new damp proof membrane is laid before screed', 'DPC level checked, satisfactory',
  'no damp readings above normal', 'mould resistant sealant used round bath as standard', 'PIV unit fitted to help avoid condensation', 'fire damper tested in communal duct',
  'no condensation on windows', 'cannot see any mould', 'damp not present', 'no mould or damp found, tenant happy', 'damp survey completed, no issues found',
  'washing machine leak, water on floor, mopped up, no damage', 'no musty smell', 'hot water cylinder leaking, replaced valve', 'no damp issues reported by tenant',
  // Near-miss words (issue 11): complaints and repairs text full of words a fuzzy match takes for damp words.
  'tenant asking for compensation for the delay', 'compensation of £150 offered for missed appointments', 'stage 2 complaint, compensation awarded',
  'compensation claim for distress and inconvenience', 'gas fire condemned, condemnation notice left', 'replace combination boiler in {r}',
  'combination lock on the key safe broken', 'taken into consideration at the panel', 'condensed milk spilt on the {r} carpet', 'decorative moulding on {r} ceiling cracked',
  'skirting moulding loose in the {r}', 'tenant moving to Mold, Flintshire next month', 'office in Mold to attend', 'mouldy bread left in the {r} bin, pest control asked',
];

const EASY_NEG = [
  'Replace broken window handle in the {r}.', 'Renew worn stair carpet.', 'Tap leaking in the {r}, replace cartridge.', 'Boiler service due.', 'Re-hang {r} door, catching on frame.',
  'Paint {r} ceiling after plastering.', 'Replace cracked tiles in {r}.', 'Fit grab rail by the bath.', 'Repair gate latch.', 'Socket in {r} sparking, make safe.',
  'Overflow pipe dripping outside.', 'Lift not working, block B.', 'Tenant wants a new kitchen.', 'Clear blocked drain at front.', 'Window restrictor missing in {r}.',
];

const TYPO = (s: string, rnd: () => number): string => {
  if (rnd() > 0.25) return s;
  const words = s.split(' ');
  const i = Math.floor(rnd() * words.length);
  const w = words[i]!;
  if (w.length > 4 && !/damp|mou?ld|condens|mildew|fung|must|wet|spot|smell|no|not/i.test(w)) {
    const k = 1 + Math.floor(rnd() * (w.length - 2));
    words[i] = w.slice(0, k) + w.slice(k + 1);
  }
  return words.join(' ');
};

function fill(t: string, rnd: () => number): string {
  const pick = <T,>(a: T[]) => a[Math.floor(rnd() * a.length)]!;
  return t.replaceAll('{r}', () => pick(ROOMS)).replaceAll('{s}', () => pick(SURFACES));
}

function compose(core: string, rnd: () => number): string {
  const pick = <T,>(a: T[]) => a[Math.floor(rnd() * a.length)]!;
  const parts: string[] = [];
  if (rnd() < 0.35) parts.push(pick(UNRELATED));
  const opener = pick(OPENERS);
  let c = fill(core, rnd);
  if (rnd() < 0.5) c = c[0]!.toUpperCase() + c.slice(1);
  parts.push(`${opener} ${c}`.trim() + (rnd() < 0.8 ? '.' : ''));
  if (rnd() < 0.4) parts.push(pick(UNRELATED));
  const nx = pick(NEXT);
  if (nx) parts.push(nx);
  let text = parts.join(' ');
  text = TYPO(text, rnd);
  if (rnd() < 0.15) text = text.toUpperCase();
  if (rnd() < 0.15) text = text.toLowerCase();
  return text;
}

/** Hand-written cases: mixed clauses, negation scope, indirect wording. */
const HAND: LabelledNote[] = [
  { text: 'No damp but black mould in bathroom above the shower.', damp: true },
  { text: 'No leaks found. Mould on bedroom ceiling though.', damp: true },
  { text: 'Checked loft - no damp. Tenant says kids bedroom has black spots on the ceiling.', damp: true },
  { text: 'not damp, its condensation from drying clothes on radiators', damp: true },
  { text: 'Never had damp before but now the walls are wet in the back bedroom', damp: true },
  { text: 'No heating for 2 weeks and black mould now in bedroom.', damp: true },
  { text: 'Leak from flat above, damp patch on kitchen ceiling spreading.', damp: true },
  { text: 'Tenant cant get rid of the mould no matter how much she cleans', damp: true },
  { text: 'windows wet every morning and the sills are rotting', damp: true },
  { text: 'Smells musty in the bedroom, baby sleeping in there', damp: true },
  { text: 'Stuff growing on the wall behind the bed, black and furry', damp: true },
  { text: 'Anti-mould paint applied after mould wash to bathroom ceiling.', damp: true },
  { text: 'Moulded skirting to be replaced, also black mould found behind it.', damp: true },
  { text: 'Fire door damper adjusted. While on site noticed condensation streaming down windows.', damp: true },
  { text: 'Void inspection: damp proof course failed at rear, plaster blown and wet', damp: true },
  { text: 'Cat 1 damp and mould hazard identified under HHSRS.', damp: true },
  { text: 'Resident says the room feels damper than last winter', damp: true },
  { text: 'Damp survey requested by tenant as bedroom wall is wet and cold', damp: true },
  { text: 'Leak fixed but ceiling still has mould round the stain', damp: true },
  { text: 'MOULD IN BATHROOM AGAIN!!!', damp: true },
  { text: 'mold on babys cot mattress, pls help', damp: true },
  { text: 'Condensation really bad, water sitting on the window sills every day', damp: true },
  { text: 'Tenant reports fungi growing in the bathroom corner', damp: true },
  { text: 'There is a dampness in the air and the bedding always feels wet', damp: true },
  { text: 'Tidemarks up the wall in the hall about 1m high', damp: true },
  { text: 'No mould, no damp. Tenant satisfied with works.', damp: false, hard: true },
  { text: 'Damper on the cooker hood needs replacing.', damp: false, hard: true },
  { text: 'Replace ceiling rose and coving mouldings in the lounge.', damp: false, hard: true },
  { text: 'Boiler condensate pipe frozen again, advised tenant to pour warm water on it.', damp: false, hard: true },
  { text: 'Leak under the bath fixed. Floor dry, no damage to ceiling below.', damp: false, hard: true },
  { text: 'Mould-resistant paint specified for all new bathrooms in the programme.', damp: false, hard: true },
  { text: 'Damp proof course inspected - no issues.', damp: false, hard: true },
  { text: 'Tenant asked for anti-mould paint as prevention, no current issues.', damp: false, hard: true },
  { text: 'Misted unit in bedroom window - replace sealed unit.', damp: false, hard: true },
  { text: 'Surveyor: no evidence of rising or penetrating damp.', damp: false, hard: true },
  { text: 'Damp? No. Mould? No. Condensation? No.', damp: false, hard: true },
  { text: 'Advised on heating and ventilation to avoid condensation over the winter.', damp: false, hard: true },
  { text: 'Gas safety check passed. No damp or mould observed.', damp: false, hard: true },
  { text: 'Mould and damp check completed: pass.', damp: false, hard: true },
  { text: 'Water leak from radiator valve, tightened, no further leak.', damp: false, hard: true },
  // Near-miss words. Decision: mould on food ("mouldy bread") is not a sign about the home; mould on the home's
  // surfaces, furniture or clothes is.
  { text: 'Compensation', damp: false, hard: true },
  { text: 'Complaint upheld. Compensation £250 for time and trouble.', damp: false, hard: true },
  { text: 'Resident unhappy with the compensation offered.', damp: false, hard: true },
  { text: 'Condemnation of the gas fire explained to tenant.', damp: false, hard: true },
  { text: 'Application under consideration.', damp: false, hard: true },
  { text: 'Combination boiler losing pressure.', damp: false, hard: true },
  { text: 'Tin of condensed milk leaked in the cupboard.', damp: false, hard: true },
  { text: 'Picture rail moulding to be refixed.', damp: false, hard: true },
  { text: 'Tenant lives in Mold and works in Chester.', damp: false, hard: true },
  { text: 'Mold, Flintshire CH7 1AB', damp: false, hard: true },
  { text: 'Mouldy bread in the kitchen bin attracting flies.', damp: false, hard: true },
  { text: 'Compensation paid for damp and mould in the bedroom.', damp: true },
  { text: 'Tenant in Mold reports black mould in the bathroom.', damp: true },
  { text: 'Food going mouldy in the kitchen cupboards and the walls are wet.', damp: true },
  { text: 'Condinsation on all the windows.', damp: true },
];

/**
 * Held out: cases never used to tune the detector (near-miss words and misspellings unlike the ones above), scored
 * apart by the bench and the tests, so a rule fitted to the development set shows here first.
 */
const HELD_OUT: LabelledNote[] = [
  { text: 'Long conversation with tenant about rent arrears.', damp: false, hard: true },
  { text: 'Conservation area: replacement windows must be timber.', damp: false, hard: true },
  { text: 'Compensatory payment agreed by the complaints team.', damp: false, hard: true },
  { text: 'Complaint response: compensation calculated under the policy.', damp: false, hard: true },
  { text: 'Weather milder now, heating advice given.', damp: false, hard: true },
  { text: 'Moulding above the front door fell off.', damp: false, hard: true },
  { text: 'Tenant transferring to a flat on Mold Road, Wrexham.', damp: false, hard: true },
  { text: 'Concentration of complaints in the block, review at panel.', damp: false, hard: true },
  { text: 'Condensed schedule of works agreed with contractor.', damp: false, hard: true },
  { text: 'Old combination lock removed from bin store.', damp: false, hard: true },
  { text: 'Consideration given to a management transfer.', damp: false, hard: true },
  { text: 'Condemnation notice for the cooker, capped off.', damp: false, hard: true },
  { text: 'Mouldy fruit in the fridge, tenant told to clear it.', damp: false, hard: true },
  { text: 'Confirmation of the appointment sent by text.', damp: false, hard: true },
  { text: 'condensasion on the bedroom window every morning', damp: true },
  { text: 'Condensaiton bad in the bathroom, no extractor', damp: true },
  { text: 'Compensation offered; black mould still on the ceiling.', damp: true },
  { text: 'Tenant moved from Mold last year, now mould in the kitchen.', damp: true },
  { text: 'Mildewed curtains in the back bedroom.', damp: true },
  { text: 'Walls damp to the touch behind the sofa.', damp: true },
  { text: 'The box room has mold in every corner.', damp: true },
  { text: 'MOULD ON THE BATHROOM CEILING AGAIN', damp: true },
];

export function buildDampLabelled(seed = 20260505, perGroup = { pos: 300, hard: 170, easy: 60 }): LabelledNote[] {
  const rnd = mulberry32(seed);
  const pick = <T,>(a: T[]) => a[Math.floor(rnd() * a.length)]!;
  const out: LabelledNote[] = [...HAND];
  const seen = new Set(out.map((n) => n.text));
  const add = (n: LabelledNote) => { if (!seen.has(n.text)) { seen.add(n.text); out.push(n); } };
  let guard = 0;
  const target = out.length + perGroup.pos + perGroup.hard + perGroup.easy;
  let pos = 0, hard = 0, easy = 0;
  while ((pos < perGroup.pos || hard < perGroup.hard || easy < perGroup.easy) && guard++ < 20000 && out.length < target) {
    const r = rnd();
    if (pos < perGroup.pos && r < 0.55) {
      const before = out.length; add({ text: compose(pick(POS), rnd), damp: true }); if (out.length > before) pos++;
    } else if (hard < perGroup.hard && r < 0.88) {
      const before = out.length; add({ text: compose(pick(HARD), rnd), damp: false, hard: true }); if (out.length > before) hard++;
    } else if (easy < perGroup.easy) {
      const before = out.length; add({ text: compose(pick(EASY_NEG), rnd), damp: false }); if (out.length > before) easy++;
    }
  }
  return out;
}

export const DAMP_LABELLED: LabelledNote[] = buildDampLabelled();

/** The held-out set: the cases above, and notes composed from the same phrases with another seed (none also in the development set). */
export function buildDampHeldOut(): LabelledNote[] {
  const dev = new Set(DAMP_LABELLED.map((n) => n.text));
  return [...HELD_OUT, ...buildDampLabelled(20261202, { pos: 120, hard: 80, easy: 20 }).filter((n) => !dev.has(n.text) && !HAND.includes(n))];
}

// Repair descriptions for bench/national.ts, worded the way repairs systems hold them: short, practical, with who
// reported it, the room, and sometimes a note added when the job was logged. Three kinds:
//   everyday   — most jobs (taps, locks, boilers, fences), none of them about damp or mould;
//   damp       — damp, mould, condensation and their signs, with misspellings ("mold", "condensaton", "dammp");
//   hard       — hard negatives that a keyword search would count: "no sign of mould", "coving and mouldings",
//                "damp proof course", "boiler condensate pipe", "damp cloth", "anti-mould paint supplied", …
// The kind is what the wording was written to say (a label), never what the detector decided; national.ts compares.
// Seeded: the same random numbers give the same text.

export type TextKind = 'everyday' | 'damp' | 'hard';

export interface JobKind {
  text: string;
  trade: string;
  sor: string;
  priority: 'Emergency' | 'Urgent' | 'Routine' | 'Planned';
  location: string;
}

const ROOMS = ['bathroom', 'kitchen', 'front bedroom', 'back bedroom', 'box room', 'living room', 'lounge', 'hallway', 'bedroom 2', 'landing',
  "child's bedroom", 'bedroom 1'];
const WET_ROOMS = ['bathroom', 'kitchen', 'WC', 'en-suite', 'utility room'];
const BEDROOMS = ['front bedroom', 'back bedroom', 'box room', 'bedroom 1', 'bedroom 2', 'bedroom 3', "child's bedroom", 'main bedroom'];
const SURFACES = ['ceiling', 'wall', 'external wall', 'window reveal', 'corner of the ceiling', 'wall behind the wardrobe', 'chimney breast',
  'window frame', 'skirting board'];

const OPENERS = ['', '', '', '', '', 'Tenant reports', 'Tenant reports that', 'T/C reports', 'Resident called to say', 'Caller advised',
  'Job raised -', 'Res reports', 'Customer states', 'Email from resident:', 'Repeat call:', 'Logged via app:', 'Housing officer reports'];
const SUFFIXES = ['', '', '', '', '', '', 'Please inspect.', 'Pls attend asap.', 'Tenant very upset.', 'Photos on file.', 'Third time reported.',
  'Access via key safe, call ahead.', 'Vulnerable tenant, please call before attending.', 'Please attend am only.', 'Tenant has young children.',
  'Tenant works days, appointment after 3pm.', 'Dog at property.', 'Refer to surveyor if needed.'];

type Template = [text: string, trade: string, sor: string, priority: JobKind['priority'], location: string];

// {r} any room, {w} a kitchen / bathroom / WC, {b} a bedroom, {s} a surface. Location '{r}' etc. takes the room.
const EVERYDAY: Template[] = [
  ['Leak from waste pipe under {w} sink. Tenant has put a bowl underneath.', 'Plumber', '603201', 'Urgent', '{w}'],
  ['Toilet cistern running constantly and not flushing properly.', 'Plumber', '603412', 'Routine', 'Bathroom'],
  ['Dripping hot tap in the {w}, needs a new washer.', 'Plumber', '603105', 'Routine', '{w}'],
  ['Blocked {w} sink, water not draining away.', 'Plumber', '603310', 'Urgent', '{w}'],
  ['Toilet blocked, only toilet in the property.', 'Plumber', '603420', 'Emergency', 'Bathroom'],
  ['Shower tray cracked and leaking when used.', 'Plumber', '603510', 'Urgent', 'Bathroom'],
  ['Bath panel loose, needs refixing.', 'Carpenter', '620350', 'Routine', 'Bathroom'],
  ['No heating or hot water. Boiler showing a fault code.', 'Gas engineer', '632001', 'Emergency', 'Kitchen'],
  ['Boiler losing pressure; tenant topping it up every day.', 'Gas engineer', '632015', 'Urgent', 'Kitchen'],
  ['Radiator in the {r} cold at the top, needs bleeding.', 'Gas engineer', '632110', 'Routine', '{r}'],
  ['Radiator valve leaking in the {r}.', 'Plumber', '632120', 'Urgent', '{r}'],
  ['Thermostat not working, heating stays on all the time.', 'Gas engineer', '632210', 'Routine', 'Hallway'],
  ['Annual gas safety check (LGSR).', 'Gas engineer', '632900', 'Planned', 'Whole property'],
  ['Gas safety check overdue; no access on two visits.', 'Gas engineer', '632900', 'Urgent', 'Whole property'],
  ['{w} socket sparking when a plug is pushed in.', 'Electrician', '650102', 'Emergency', '{w}'],
  ['Light in the {r} not working; tenant has changed the bulb.', 'Electrician', '650210', 'Routine', '{r}'],
  ['Smoke alarm on the landing chirping every few minutes.', 'Electrician', '650401', 'Urgent', 'Landing'],
  ['Electrics tripping when the oven is switched on.', 'Electrician', '650120', 'Urgent', 'Kitchen'],
  ['Extractor fan in the {w} not working.', 'Electrician', '650520', 'Routine', '{w}'],
  ['Electric shower not heating up.', 'Electrician', '650610', 'Urgent', 'Bathroom'],
  ['Door entry phone not working, cannot let visitors in.', 'Electrician', '650710', 'Routine', 'Hallway'],
  ['Front door not locking properly, key sticks in the lock.', 'Carpenter', '620105', 'Urgent', 'External'],
  ['Back door swollen and will not shut.', 'Carpenter', '620110', 'Urgent', 'External'],
  ['Kitchen cupboard door hanging off its hinge.', 'Carpenter', '620320', 'Routine', 'Kitchen'],
  ['{r} door catching on the new carpet, needs easing.', 'Carpenter', '620210', 'Routine', '{r}'],
  ['{b} window will not close fully.', 'Carpenter', '620540', 'Urgent', '{b}'],
  ['Window handle broken in the {b}.', 'Glazier', '640210', 'Routine', '{b}'],
  ['Cracked pane in the {r} window.', 'Glazier', '640110', 'Urgent', '{r}'],
  ['Window restrictor missing on the {b} window.', 'Glazier', '640220', 'Urgent', '{b}'],
  ['Slipped roof tiles after the storm.', 'Roofer', '610230', 'Urgent', 'External'],
  ['Gutter blocked at the rear, overflowing onto the path.', 'Roofer', '610510', 'Routine', 'External'],
  ['Fence panel blown down at the back of the garden.', 'Fencing', '680120', 'Routine', 'External'],
  ['Garden gate off its hinges.', 'Fencing', '680210', 'Routine', 'External'],
  ['Crack across the {r} ceiling.', 'Plasterer', '625110', 'Routine', '{r}'],
  ['Plaster coming away around the light switch in the {r}.', 'Plasterer', '625120', 'Routine', '{r}'],
  ['Loose stair tread; tenant worried about falling.', 'Carpenter', '620610', 'Urgent', 'Hallway'],
  ['Loose banister on the stairs.', 'Carpenter', '620620', 'Urgent', 'Hallway'],
  ['Replace kitchen units and worktop (planned programme).', 'Multi-trade', '690010', 'Planned', 'Kitchen'],
  ['Bathroom replacement (planned programme).', 'Multi-trade', '690020', 'Planned', 'Bathroom'],
  ['Letterbox flap missing, draught through the front door.', 'Carpenter', '620130', 'Routine', 'External'],
  ['Trip hazard on the path to the front door.', 'Groundworks', '670110', 'Urgent', 'External'],
  ['Communal door closer broken, door slamming.', 'Carpenter', '620150', 'Routine', 'Communal'],
  ['Lift out of order in the block.', 'Lift engineer', '660010', 'Emergency', 'Communal'],
  ['Floor tiles lifting in the {w}.', 'Tiler', '627110', 'Routine', '{w}'],
  ['Kitchen worktop joint failed and swollen.', 'Carpenter', '620330', 'Routine', 'Kitchen'],
  ['Mice seen in the kitchen, droppings in the cupboards.', 'Pest control', '685010', 'Urgent', 'Kitchen'],
  ['Wasps nest in the eaves above the {b}.', 'Pest control', '685020', 'Routine', 'External'],
  ['Graffiti on the bin store door.', 'Caretaker', '695010', 'Routine', 'Communal'],
  ['Void works: clear property, change locks, gas and electric tests.', 'Multi-trade', '699010', 'Planned', 'Whole property'],
  ['Adaptation: fit grab rails beside the toilet and bath.', 'Adaptations', '698010', 'Routine', 'Bathroom'],
  ['Adaptation: level-access shower (OT referral).', 'Adaptations', '698020', 'Planned', 'Bathroom'],
  ['Carbon monoxide alarm needs replacing, out of date.', 'Electrician', '650410', 'Urgent', 'Kitchen'],
  ['Overflow pipe dripping outside the {w}.', 'Plumber', '603610', 'Routine', 'External'],
  ['Water leaking through the ceiling from the flat above. Light fitting affected.', 'Plumber', '603020', 'Emergency', 'Bathroom'],
];

const DAMP: Template[] = [
  ['Black mould on the {b} ceiling and around the window. Tenant says it comes back after cleaning.', 'Damp and mould', '626010', 'Urgent', '{b}'],
  ['Damp patch on the {s} in the {r}, wallpaper peeling off.', 'Damp and mould', '626020', 'Routine', '{r}'],
  ['Condensation on all the windows every morning; mould on the window frames and curtains.', 'Damp and mould', '626030', 'Routine', 'Whole property'],
  ['Mould in the bathroom around the bath and on the ceiling. Extractor fan not working.', 'Electrician', '650520', 'Urgent', 'Bathroom'],
  ['Damp smell in the {b}; clothes in the wardrobe going mouldy.', 'Damp and mould', '626010', 'Urgent', '{b}'],
  ['Rising damp in the hallway, plaster crumbling at skirting level.', 'Damp and mould', '626110', 'Routine', 'Hallway'],
  ['Roof leak into the loft. Damp stain spreading across the landing ceiling.', 'Roofer', '610410', 'Urgent', 'Loft'],
  ['Gutter overflowing at the back; water running down the wall and a damp patch inside.', 'Roofer', '610520', 'Routine', 'External'],
  ['Rain coming in around the window frame, mould growing on the reveal.', 'Glazier', '640310', 'Urgent', '{r}'],
  ['Leak from the flat above through the bathroom ceiling. Ceiling stained and now mouldy.', 'Plumber', '603020', 'Emergency', 'Bathroom'],
  ['Condensation dripping from the {b} ceiling. Possible gap in the loft insulation.', 'Damp and mould', '626210', 'Urgent', '{b}'],
  ['Damp and mould survey requested after a complaint. Child in the household has asthma.', 'Surveyor', '626900', 'Urgent', 'Whole property'],
  ['Mould wash and treatment to bedrooms and bathroom (damp and mould remedial works).', 'Damp and mould', '626300', 'Planned', 'Whole property'],
  ['black mould on the {s} in the {r}', 'Damp and mould', '626010', 'Urgent', '{r}'],
  ['black spots on the {s} in the {r}, getting worse', 'Damp and mould', '626010', 'Routine', '{r}'],
  ['mold in the {r} and on the {s}', 'Damp and mould', '626010', 'Routine', '{r}'],
  ['moulds coming back on the {s} after it was treated', 'Damp and mould', '626010', 'Urgent', '{r}'],
  ['dampness on the {s} of the {r}', 'Damp and mould', '626020', 'Routine', '{r}'],
  ['the {r} is really dammp and cold', 'Damp and mould', '626020', 'Routine', '{r}'],
  ['condensaton in {r}, windows streaming every morning', 'Damp and mould', '626030', 'Routine', '{r}'],
  ['condensation running down the inside of the windows in the {r}', 'Damp and mould', '626030', 'Routine', '{r}'],
  ['water pooling on the window sills in the {b}', 'Damp and mould', '626030', 'Routine', '{b}'],
  ['musty smell in the {r} that will not go', 'Damp and mould', '626010', 'Routine', '{r}'],
  ['mildew on the curtains in the {b}', 'Damp and mould', '626010', 'Routine', '{b}'],
  ['fungus growing in the corner of the {r}', 'Damp and mould', '626010', 'Urgent', '{r}'],
  ['mould behind the wardrobe in the {b}, child sleeps in there', 'Damp and mould', '626010', 'Urgent', '{b}'],
  ['Wet walls in the {r}, wallpaper coming off', 'Damp and mould', '626020', 'Urgent', '{r}'],
  ['Tide marks on the {s} in the {r} after the leak', 'Plasterer', '625210', 'Routine', '{r}'],
  ['Damp coming through the external wall in the {b}', 'Damp and mould', '626120', 'Urgent', '{b}'],
  ['Green mould on the silicone around the bath', 'Damp and mould', '626010', 'Routine', 'Bathroom'],
  ['Blown double-glazed unit, misted between the panes; condensation running onto the sill.', 'Glazier', '640120', 'Routine', '{r}'],
  ['Recall: mould has come back since the last visit.', 'Damp and mould', '626010', 'Urgent', '{r}'],
  ['Penetrating damp to the gable wall, plaster blown.', 'Damp and mould', '626130', 'Routine', '{r}'],
  ['Mould spores on the ceiling, tenant coughing at night.', 'Damp and mould', '626010', 'Urgent', '{b}'],
  ['Mould treatment required to {r}: fungicidal wash and stain block.', 'Damp and mould', '626300', 'Routine', '{r}'],
  ['Leak under the bath has soaked through, ceiling below is wet and smells damp.', 'Plumber', '603030', 'Urgent', 'Bathroom'],
];

const HARD: Template[] = [
  ['Leak under {w} sink repaired. No sign of damp or mould to the walls.', 'Plumber', '603201', 'Urgent', '{w}'],
  ['Refit coving and mouldings in the {r}.', 'Plasterer', '625310', 'Routine', '{r}'],
  ['Replace damaged door mouldings and architrave in the hallway.', 'Carpenter', '620220', 'Routine', 'Hallway'],
  ['Damp proof course injected along the front elevation (planned programme).', 'Damp and mould', '626400', 'Planned', 'External'],
  ['Boiler condensate pipe frozen, boiler locked out.', 'Gas engineer', '632030', 'Emergency', 'Kitchen'],
  ['Condensate pipe from boiler leaking onto the floor.', 'Gas engineer', '632031', 'Urgent', 'Kitchen'],
  ['Anti-mould paint supplied to tenant for decorating.', 'Caretaker', '695110', 'Routine', '{r}'],
  ['Damp and mould leaflet given at tenancy visit.', 'Housing officer', '699500', 'Routine', 'Whole property'],
  ['Damp check carried out: no issues found.', 'Surveyor', '626900', 'Routine', 'Whole property'],
  ['Checked for damp in the {r}, all clear.', 'Surveyor', '626900', 'Routine', '{r}'],
  ['Wipe down with a damp cloth after plastering.', 'Plasterer', '625110', 'Routine', '{r}'],
  ['Fire door damper faulty in the communal corridor.', 'Fire safety', '655010', 'Urgent', 'Communal'],
  ['Fit trickle vents to prevent condensation (planned programme).', 'Glazier', '640410', 'Planned', 'Whole property'],
  ['Tenant asked for advice on avoiding condensation; leaflet sent.', 'Housing officer', '699500', 'Routine', 'Whole property'],
  ['No mould found on inspection; tenant advised to ventilate when cooking.', 'Surveyor', '626900', 'Routine', '{r}'],
  ['Mould-resistant sealant to bath (bathroom replacement programme).', 'Plumber', '603520', 'Planned', 'Bathroom'],
  ['Cornice and ceiling mouldings cracked in the {r}.', 'Plasterer', '625320', 'Routine', '{r}'],
  ['Surveyor visit: no damp, mould or condensation seen.', 'Surveyor', '626900', 'Routine', 'Whole property'],
  ['Flue damper sticking on the gas fire.', 'Gas engineer', '632310', 'Urgent', '{r}'],
  ['Leak from the washing machine hose, floor mopped, no damp to walls.', 'Plumber', '603220', 'Urgent', 'Kitchen'],
  ['Replace moulded skirting board in the {r}.', 'Carpenter', '620410', 'Routine', '{r}'],
  ['Humidity-controlled extractor fan fitted to reduce condensation risk.', 'Electrician', '650530', 'Planned', '{w}'],
  ['Damp meter readings normal throughout.', 'Surveyor', '626900', 'Routine', 'Whole property'],
  ['If you notice any mould please report it: letter sent to all residents in the block.', 'Housing officer', '699510', 'Routine', 'Communal'],
];

export interface Rand { (): number }

const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;

function fill(text: string, room: { r: string; w: string; b: string; s: string }): string {
  return text.replace(/\{([rwbs])\}/g, (_, k: 'r' | 'w' | 'b' | 's') => room[k]);
}

const capital = (s: string) => (s ? s[0]!.toUpperCase() + s.slice(1) : s);
const lowerFirst = (s: string) => (s && !/^[A-Z]{2}/.test(s) ? s[0]!.toLowerCase() + s.slice(1) : s);

/** One repair job's wording and its facts: kind (the label) decided by the caller. */
export function repairText(r: Rand, kind: TextKind): JobKind {
  const t = pick(r, kind === 'damp' ? DAMP : kind === 'hard' ? HARD : EVERYDAY);
  const room = { r: pick(r, ROOMS), w: pick(r, WET_ROOMS), b: pick(r, BEDROOMS), s: pick(r, SURFACES) };
  let body = fill(t[0], room);
  const opener = pick(r, OPENERS);
  if (opener) body = /[:-]$/.test(opener) ? `${opener} ${body}` : `${opener} ${lowerFirst(body)}`;
  else body = r() < 0.85 ? capital(body) : body;
  const suffix = pick(r, SUFFIXES);
  if (suffix) body = `${body}${/[.!?]$/.test(body) ? '' : '.'} ${suffix}`;
  const x = r();
  if (x < 0.02) body = body.toUpperCase(); // typed with caps lock on
  else if (x < 0.04) body = body.replace(/\.$/, '!!');
  const location = t[4].replace(/\{([rwbs])\}/, (_, k: 'r' | 'w' | 'b' | 's') => capital(room[k]));
  return { text: body, trade: t[1], sor: t[2], priority: t[3], location };
}

/** How many different templates there are of each kind (for the bench's notes). */
export const TEMPLATE_COUNTS = { everyday: EVERYDAY.length, damp: DAMP.length, hard: HARD.length };

// What the demo landlord's repairs system and housing officers wrote: repair jobs (with damp, mould, condensation
// and leaks among them, for the damp and mould questions) and notes. Made up, but worded the way real jobs and notes
// are: short, practical, sometimes with the operative's words added when the job was done.

export type Priority = 'Emergency' | 'Urgent' | 'Routine' | 'Planned';

/** Working days allowed for each priority (the target date), and the usual time taken, in days. */
export const PRIORITY_DAYS: Record<Priority, { target: number; done: readonly [number, number] }> = {
  Emergency: { target: 1, done: [0, 1] },
  Urgent: { target: 7, done: [1, 10] },
  Routine: { target: 28, done: [5, 45] },
  Planned: { target: 90, done: [20, 120] },
};

export const OPEN_STATUSES = ['Reported', 'Assigned', 'In progress', 'Awaiting parts', 'Awaiting access'] as const;

export interface RepairKind {
  text: string;
  location: string;
  trade: string;
  sor: string;
  priority: Priority;
  /** Only in a flat (a leak from the flat above) or only in a house or bungalow (its roof, loft, garden, stairs). */
  only?: 'flat' | 'house';
  /** What the operative added when the job was done. */
  done?: readonly string[];
}

const PLUMBING_DONE = ['Operative: replaced washer and tested, no further leaks.', 'Renewed waste trap and tested.', 'Cleared blockage, tested OK.'];
const ELECTRICAL_DONE = ['Electrician: replaced faulty accessory and tested circuit.', 'Fitting replaced, tested and working.'];
const CARPENTRY_DONE = ['Eased and adjusted, now closing properly.', 'Replaced hinges and refitted.'];
const DAMP_DONE = [
  'Treated affected areas with fungicidal wash and applied mould-resistant paint. Advised tenant on heating and ventilation.',
  'Mould washed down. Extractor fan checked and working. Damp survey recommended if it returns.',
  'Leak traced and repaired. Ceiling to be made good once dried out.',
];

/** Everyday repairs. */
export const REPAIRS: readonly RepairKind[] = [
  { text: 'Leak from waste pipe under kitchen sink. Tenant has put a bowl underneath.', location: 'Kitchen', trade: 'Plumber', sor: '603201', priority: 'Urgent', done: PLUMBING_DONE },
  { text: 'Toilet cistern running constantly and not flushing properly.', location: 'Bathroom', trade: 'Plumber', sor: '603412', priority: 'Routine', done: PLUMBING_DONE },
  { text: 'Dripping hot tap on the bath, needs a new washer.', location: 'Bathroom', trade: 'Plumber', sor: '603105', priority: 'Routine', done: PLUMBING_DONE },
  { text: 'Blocked kitchen sink, water not draining away.', location: 'Kitchen', trade: 'Plumber', sor: '603310', priority: 'Urgent', done: PLUMBING_DONE },
  { text: 'Water leaking through the ceiling from the flat above. Light fitting affected.', location: 'Bathroom', trade: 'Plumber', sor: '603020', priority: 'Emergency', only: 'flat', done: PLUMBING_DONE },
  { text: 'No heating or hot water. Boiler showing a fault code.', location: 'Kitchen', trade: 'Gas engineer', sor: '632001', priority: 'Emergency' },
  { text: 'Boiler losing pressure; tenant topping it up every day.', location: 'Kitchen', trade: 'Gas engineer', sor: '632015', priority: 'Urgent' },
  { text: 'Radiator in the front bedroom cold at the top.', location: 'Bedroom 1', trade: 'Gas engineer', sor: '632110', priority: 'Routine' },
  { text: 'Kitchen socket sparking when a plug is pushed in.', location: 'Kitchen', trade: 'Electrician', sor: '650102', priority: 'Emergency', done: ELECTRICAL_DONE },
  { text: 'Hallway light not working; tenant has changed the bulb.', location: 'Hallway', trade: 'Electrician', sor: '650210', priority: 'Routine', done: ELECTRICAL_DONE },
  { text: 'Smoke alarm on the landing chirping every few minutes.', location: 'Landing', trade: 'Electrician', sor: '650401', priority: 'Urgent', done: ELECTRICAL_DONE },
  { text: 'Front door not locking properly, key sticks in the lock.', location: 'External', trade: 'Carpenter', sor: '620105', priority: 'Urgent', done: CARPENTRY_DONE },
  { text: 'Kitchen cupboard door hanging off its hinge.', location: 'Kitchen', trade: 'Carpenter', sor: '620320', priority: 'Routine', done: CARPENTRY_DONE },
  { text: 'Living room door catching on the new carpet, needs easing.', location: 'Living room', trade: 'Carpenter', sor: '620210', priority: 'Routine', done: CARPENTRY_DONE },
  { text: 'Back bedroom window will not close fully.', location: 'Bedroom 2', trade: 'Carpenter', sor: '620540', priority: 'Urgent', done: CARPENTRY_DONE },
  { text: 'Cracked pane in the kitchen window.', location: 'Kitchen', trade: 'Glazier', sor: '640110', priority: 'Urgent' },
  { text: 'Slipped roof tiles after the storm.', location: 'External', trade: 'Roofer', sor: '610230', priority: 'Urgent', only: 'house' },
  { text: 'Fence panel blown down at the back of the garden.', location: 'External', trade: 'Fencing', sor: '680120', priority: 'Routine', only: 'house' },
  { text: 'Crack across the living room ceiling.', location: 'Living room', trade: 'Plasterer', sor: '625110', priority: 'Routine' },
  { text: 'Loose stair tread; tenant worried about falling.', location: 'Hallway', trade: 'Carpenter', sor: '620610', priority: 'Urgent', only: 'house', done: CARPENTRY_DONE },
  { text: 'Replace kitchen units and worktop (planned programme).', location: 'Kitchen', trade: 'Multi-trade', sor: '690010', priority: 'Planned' },
  { text: 'Gas safety check overdue; no access on two visits.', location: 'Whole property', trade: 'Gas engineer', sor: '632900', priority: 'Urgent' },
];

/** Damp, mould, condensation and leaks: most of a damp-prone home's jobs, and a few of everyone else's. */
export const DAMP_REPAIRS: readonly RepairKind[] = [
  { text: 'Black mould on the bedroom ceiling and around the window. Tenant says it comes back after cleaning.', location: 'Bedroom 1', trade: 'Damp and mould', sor: '626010', priority: 'Urgent', done: DAMP_DONE },
  { text: 'Damp patch on the wall below the window, wallpaper peeling off.', location: 'Bedroom 2', trade: 'Damp and mould', sor: '626020', priority: 'Routine', done: DAMP_DONE },
  { text: 'Condensation on all the windows every morning; mould on the window frames and curtains.', location: 'Whole property', trade: 'Damp and mould', sor: '626030', priority: 'Routine', done: DAMP_DONE },
  { text: 'Mould in the bathroom around the bath and on the ceiling. Extractor fan not working.', location: 'Bathroom', trade: 'Electrician', sor: '650520', priority: 'Urgent', done: DAMP_DONE },
  { text: 'Damp smell in the back bedroom; clothes in the wardrobe going mouldy.', location: 'Bedroom 2', trade: 'Damp and mould', sor: '626010', priority: 'Urgent', done: DAMP_DONE },
  { text: 'Rising damp in the hallway, plaster crumbling at skirting level.', location: 'Hallway', trade: 'Damp and mould', sor: '626110', priority: 'Routine', only: 'house', done: DAMP_DONE },
  { text: 'Roof leak into the loft. Damp stain spreading across the landing ceiling.', location: 'Loft', trade: 'Roofer', sor: '610410', priority: 'Urgent', only: 'house', done: DAMP_DONE },
  { text: 'Gutter overflowing at the back; water running down the wall and a damp patch inside.', location: 'External', trade: 'Roofer', sor: '610520', priority: 'Routine', only: 'house', done: DAMP_DONE },
  { text: 'Rain coming in around the window frame, mould growing on the reveal.', location: 'Living room', trade: 'Glazier', sor: '640310', priority: 'Urgent', done: DAMP_DONE },
  { text: 'Leak from the flat above through the bathroom ceiling. Ceiling stained and now mouldy.', location: 'Bathroom', trade: 'Plumber', sor: '603020', priority: 'Emergency', only: 'flat', done: DAMP_DONE },
  { text: 'Condensation dripping from the bedroom ceiling. Possible gap in the loft insulation.', location: 'Bedroom 1', trade: 'Damp and mould', sor: '626210', priority: 'Urgent', done: DAMP_DONE },
  { text: 'Damp and mould survey requested after a complaint. Child in the household has asthma.', location: 'Whole property', trade: 'Surveyor', sor: '626900', priority: 'Urgent' },
  { text: 'Mould wash and treatment to bedrooms and bathroom; mould-resistant paint (damp and mould remedial works).', location: 'Whole property', trade: 'Damp and mould', sor: '626300', priority: 'Planned', done: DAMP_DONE },
  { text: 'Fit a humidity-controlled extractor fan in the kitchen (damp and mould remedial works).', location: 'Kitchen', trade: 'Electrician', sor: '650530', priority: 'Planned', done: ELECTRICAL_DONE },
  { text: 'Blown double-glazed unit, misted between the panes; condensation running onto the sill.', location: 'Bedroom 1', trade: 'Glazier', sor: '640120', priority: 'Routine' },
];

/** A damp job raised again because the problem came back. */
export const RECALL = 'Recall: mould has come back since the last visit.';

export interface NoteKind { type: string; text: string; only?: 'flat' | 'house' }

/** Notes about a tenancy. */
export const TENANCY_NOTES: readonly NoteKind[] = [
  { type: 'Tenancy visit', text: 'Annual tenancy visit. Home in good condition; no concerns raised.' },
  { type: 'Tenancy visit', text: 'Tenancy visit. Garden overgrown; tenant agreed to tidy it within four weeks.', only: 'house' },
  { type: 'Rent', text: 'Tenant called about rent arrears. Agreed to pay an extra £5 a week on top of the rent.' },
  { type: 'Rent', text: 'Universal Credit housing costs now paid direct to us. Arrears cleared.' },
  { type: 'Complaint', text: 'Neighbour complained about loud music late at night. Letter sent reminding the tenant of the tenancy conditions.' },
  { type: 'Phone call', text: 'Tenant asked about moving to a bigger home. Advised to apply to the housing register.' },
  { type: 'Phone call', text: 'Tenant reported a leak from the flat above; emergency repair raised.', only: 'flat' },
];

/** Notes about a person. */
export const PERSON_NOTES: readonly NoteKind[] = [
  { type: 'Phone call', text: 'Called to update contact details.' },
  { type: 'Support', text: 'Referred to the tenancy sustainment team for help with a benefits claim.' },
  { type: 'Support', text: 'Says they are struggling to heat the home. Referred for a fuel voucher and energy advice.' },
  { type: 'Email', text: 'Asked for a copy of the tenancy agreement; sent by email.' },
  { type: 'Visit', text: 'Home visit with an occupational therapist about a level-access shower.' },
];

/** Notes about a damp-prone home, in the order they tend to happen. */
export const DAMP_NOTES: readonly NoteKind[] = [
  { type: 'Damp and mould', text: 'Visited after a damp and mould report. Black mould in the back bedroom and bathroom. Washing dried indoors; advised on heating and ventilation.\nDamp survey ordered.' },
  { type: 'Damp and mould', text: 'Damp survey: condensation mould, no rising damp found. Recommend humidity-controlled extractor fans in the kitchen and bathroom.' },
  { type: 'Complaint', text: 'Stage 1 complaint: leak and damp not fixed after several visits. Apology given and works booked.' },
  { type: 'Damp and mould', text: 'Tenant says the mould is back after treatment. Child in the household has asthma; case passed to the damp and mould team.' },
  { type: 'Inspection', text: 'Post-inspection after mould treatment. Walls clean, fans working. Tenant happy with the work.' },
];

/** The kinds that can happen in a flat, and in a house or bungalow. */
export function fitting<T extends { only?: 'flat' | 'house' }>(kinds: readonly T[]): { flat: T[]; house: T[] } {
  return { flat: kinds.filter((k) => k.only !== 'house'), house: kinds.filter((k) => k.only !== 'flat') };
}

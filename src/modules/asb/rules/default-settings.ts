// The ASB settings a new landlord starts with. A landlord replaces them from the admin pages (a new version).
//
// What counts as anti-social behaviour: the Anti-social Behaviour, Crime and Policing Act 2014, s.2(1), for housing:
//   (a) conduct that has caused, or is likely to cause, harassment, alarm or distress to any person;
//   (b) conduct capable of causing nuisance or annoyance to a person in relation to that person's occupation of
//       residential premises; or
//   (c) conduct capable of causing housing-related nuisance or annoyance to any person.
// Each kind of ASB below maps to one of the national incident categories (personal, nuisance, environmental).
//
// Priorities follow common practice: category 1 (violence, hate, threats) within 1 working day (what landlords publish
// as "24 hours", counted in working days so that a Friday evening report is due on Monday, not on Saturday); category 2
// within 3 working days (the middle of the usual 2 to 4); category 3 within 5 working days.
//
// The risk matrix is in the style of the widely used ASB risk assessment: questions about the person's vulnerability
// and about the harm and frequency of the behaviour, answered yes or no or on a scale, summed to a score with
// thresholds for standard, medium and high risk. The questions are Hearth's own words.
import type { AsbSettings, Target } from './settings.ts';

const days = (amount: number): Target => ({ amount, unit: 'working-days' });
const byCategory = (one: number, two: number, three: number) => ({ 'category-1': days(one), 'category-2': days(two), 'category-3': days(three) });

export const DEFAULT_ASB_SETTINGS: AsbSettings = {
  schemaVersion: 1,
  priorities: [
    { code: 'category-1', label: 'Category 1', rank: 1, response: days(1) },
    { code: 'category-2', label: 'Category 2', rank: 2, response: days(3) },
    { code: 'category-3', label: 'Category 3', rank: 3, response: days(5) },
  ],
  categories: [
    { code: 'violence', label: 'Violence or assault', national: 'personal', priority: 'category-1' },
    { code: 'threats', label: 'Threats of violence', national: 'personal', priority: 'category-1' },
    {
      code: 'hate-incident', label: 'Hate incident', national: 'personal', priority: 'category-1', hate: true,
      hint: 'Anything the victim or anyone else thinks was caused by hostility or prejudice against who they are',
    },
    {
      code: 'domestic-abuse', label: 'Domestic abuse', national: 'personal', priority: 'category-1',
      hint: 'Follow the domestic abuse policy as well: safety comes first',
    },
    { code: 'verbal-abuse', label: 'Verbal abuse, harassment or intimidation', national: 'personal', priority: 'category-2' },
    { code: 'drugs', label: 'Drug dealing or drug use', national: 'nuisance', priority: 'category-2' },
    { code: 'vandalism-and-damage', label: 'Vandalism and damage to property', national: 'environmental', priority: 'category-2' },
    { code: 'noise', label: 'Noise', national: 'nuisance', priority: 'category-3' },
    { code: 'misuse-of-communal-areas', label: 'Misuse of communal areas', national: 'nuisance', priority: 'category-3', hint: 'Loitering, smoking, sleeping or storing things in shared areas' },
    { code: 'pets-and-animals', label: 'Pets and animals', national: 'nuisance', priority: 'category-3', hint: 'Barking, fouling, or animals that are not kept under control' },
    { code: 'vehicles', label: 'Vehicles', national: 'nuisance', priority: 'category-3', hint: 'Nuisance parking, abandoned vehicles or dangerous driving' },
    { code: 'litter-and-fly-tipping', label: 'Litter, rubbish and fly-tipping', national: 'environmental', priority: 'category-3' },
    { code: 'other', label: 'Something else', national: 'nuisance', priority: 'category-3' },
  ],
  protectedCharacteristics: [
    { code: 'race', label: 'Race' },
    { code: 'religion-or-belief', label: 'Religion or belief' },
    { code: 'sexual-orientation', label: 'Sexual orientation' },
    { code: 'disability', label: 'Disability' },
    { code: 'transgender-identity', label: 'Transgender identity' },
    { code: 'sex', label: 'Sex' },
    { code: 'age', label: 'Age' },
  ],
  riskMatrix: {
    questions: [
      { id: 'hurt-or-threatened', group: 'vulnerability', answer: 'yes-no', weight: 3, makesHigh: true, text: 'Have they been hurt, or threatened with being hurt or killed?' },
      { id: 'thoughts-of-self-harm', group: 'vulnerability', answer: 'yes-no', weight: 3, makesHigh: true, text: 'Have they thought about harming themselves because of what is happening?' },
      { id: 'unsafe-at-home', group: 'vulnerability', answer: 'yes-no', weight: 2, text: 'Do they feel unsafe in their home, or going in and out of it?' },
      {
        id: 'targeted-for-who-they-are', group: 'vulnerability', answer: 'yes-no', weight: 2,
        text: 'Do they think they are targeted because of who they are?', hint: 'For example their race, religion, disability, sexuality or gender identity',
      },
      { id: 'health-made-worse', group: 'vulnerability', answer: 'yes-no', weight: 2, text: 'Do they have a disability or a health condition that this makes worse?' },
      { id: 'no-support', group: 'vulnerability', answer: 'yes-no', weight: 1, text: 'Do they live alone, or have no one nearby to support them?' },
      { id: 'others-in-home-affected', group: 'vulnerability', answer: 'yes-no', weight: 1, text: 'Are children or other vulnerable people in the home affected?' },
      { id: 'most-days', group: 'impact', answer: 'yes-no', weight: 2, text: 'Does it happen every day or most days?' },
      { id: 'over-three-months', group: 'impact', answer: 'yes-no', weight: 1, text: 'Has it been going on for more than 3 months?' },
      { id: 'sleep-health-work', group: 'impact', answer: 'scale', weight: 2, text: 'How much is it affecting their sleep, health, work or schooling?' },
      { id: 'daily-life', group: 'impact', answer: 'scale', weight: 1, text: 'How much has it changed what they do day to day?', hint: 'For example staying in, or avoiding parts of the estate' },
      { id: 'property-damaged', group: 'impact', answer: 'yes-no', weight: 1, text: 'Has their home, car or belongings been damaged?' },
      { id: 'thinking-of-moving', group: 'impact', answer: 'yes-no', weight: 1, text: 'Are they thinking of moving because of it?' },
    ],
    // The questions score at most 28: 19 from the yes-no answers, 9 from the two scales at their top.
    thresholds: { medium: 8, high: 16 },
  },
  actions: [
    // No byPriority: due by each priority's response target.
    { code: 'acknowledge', label: 'Contact the complainant and acknowledge the report', byRisk: { medium: days(3), high: days(1) } },
    { code: 'interview', label: 'Interview the complainant', byPriority: byCategory(3, 5, 10), byRisk: { medium: days(5), high: days(2) } },
    { code: 'visit', label: 'Visit the place where it happens, or the person reported', byPriority: byCategory(5, 10, 15), byRisk: { medium: days(7), high: days(3) } },
    { code: 'review', label: 'Review the case and the action plan', byPriority: byCategory(10, 20, 30), byRisk: { medium: days(10), high: days(5) } },
  ],
  complainantUpdates: { workingDays: 10, byRisk: { high: 5 } },
  // The national threshold for an ASB Case Review (formerly the community trigger): 3 qualifying reports about the
  // same problem, the review asked for within 6 months of each, each made within 1 month of its incident.
  caseReviewRules: [
    { name: 'National threshold', minReports: 3, windowMonths: 6, reportWithin: { amount: 1, unit: 'months' }, differentReporters: false },
  ],
  repeatVictim: { incidents: 3, withinMonths: 3, similar: 'same-category' },
};

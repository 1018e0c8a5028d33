// The repair settings a new landlord starts with. A landlord replaces them from the admin pages (a new version).
//
// SOR codes here are EXAMPLES in the style of a Schedule of Rates (three letters for the trade, three digits): they are
// not the NHF Schedule of Rates, whose codes are licensed. A landlord replaces them with the codes of its own schedule.
//
// Priorities (after Hackney's: Immediate 2 hours, Emergency 24 hours, Urgent 5 working days, Routine 20 working days),
// plus "Damp and mould (Awaab's Law)": 10 working days, the Awaab's Law limit to investigate a significant hazard.
// Decision: a sign of damp or mould in a resident's own words is treated as a SIGNIFICANT hazard, not an emergency one
// (awaabPriority below): a staff member confirms it (the hazard report) and can raise it. Where the tree itself says
// emergency (damp from a leak, water near electrics) the leaf's priority is already more urgent and stays.
import type { RepairSettings, TriageLeaf, TriageExit, TriageNode } from './settings.ts';

const leaf = (value: string, label: string, sorCode: string, priority: string, trade: TriageLeaf['trade'], minutes: number, hint?: string): TriageLeaf =>
  ({ value, label, sorCode, priority, trade, minutes, ...(hint ? { hint } : {}) });
const node = (value: string, label: string, question: string, options: TriageNode['options']): TriageNode => ({ value, label, question, options });
const exit = (value: string, label: string, kind: TriageExit['exit'], message?: string): TriageExit => ({ value, label, exit: kind, ...(message ? { message } : {}) });

const EMERGENCY_LEAK = 'If water is leaking onto electrics, or through a light fitting, turn off the electricity at the fuse box if it is safe to, and call us now.';

// Damp or mould, asked the same way in each room: what the resident sees.
const dampOrMould = (room: string) => node('damp-or-mould', 'Damp or mould', 'What best describes the damp or mould?', [
  leaf('mould-walls-ceiling', 'Mould on walls or ceiling', 'DMP001', 'awaab-significant', 'damp-and-mould', 90, 'Black or green spots or patches'),
  leaf('damp-patch', 'Damp patch or wet wall', 'DMP002', 'awaab-significant', 'damp-and-mould', 90),
  leaf('condensation', 'Condensation on windows or walls', 'DMP003', 'awaab-significant', 'damp-and-mould', 60, 'Water running down windows or walls most mornings'),
  leaf('damp-from-leak', 'Damp caused by a leak', 'DMP004', 'emergency', 'plumbing', 90, `Water coming from a pipe, the roof or a flat above into the ${room}`),
]);

const leaks = (room: string, fittings: TriageNode['options']) => node('leak', 'Leak', 'Where is the water coming from?', [
  ...fittings,
  leaf('leak-ceiling', 'Through the ceiling', 'PLB010', 'emergency', 'plumbing', 60, `Water coming into the ${room} from above`),
  exit('leak-electrics', 'Onto electrics or a light fitting', 'emergency', EMERGENCY_LEAK),
]);

const windows = () => node('window', 'Window', 'What is the problem with the window?', [
  leaf('window-broken-glass', 'Broken or cracked glass', 'GLZ001', 'urgent', 'glazing', 60),
  leaf('window-will-not-close', 'Will not close or lock', 'CRP010', 'urgent', 'carpentry', 60),
  leaf('window-will-not-open', 'Will not open', 'CRP011', 'routine', 'carpentry', 60),
  leaf('window-draught', 'Draughty or rotten frame', 'CRP012', 'routine', 'carpentry', 90),
]);

const electrics = () => node('electrics', 'Lights or sockets', 'What is the problem?', [
  leaf('socket-not-working', 'Socket not working', 'ELE001', 'urgent', 'electrical', 45),
  leaf('light-not-working', 'Light not working', 'ELE002', 'routine', 'electrical', 45, 'You have changed the bulb'),
  leaf('extractor-fan', 'Extractor fan not working', 'ELE003', 'urgent', 'electrical', 45, 'A fan that does not work lets damp build up'),
  exit('exposed-wires', 'Wires showing, or a burning smell', 'emergency', 'Do not touch it. Turn off the electricity at the fuse box if it is safe to, and call us now.'),
]);

export const DEFAULT_REPAIR_SETTINGS: RepairSettings = {
  schemaVersion: 1,
  priorities: [
    { code: 'immediate', label: 'Immediate', target: { amount: 2, unit: 'hours' }, emergency: true, rank: 1 },
    { code: 'emergency', label: 'Emergency', target: { amount: 24, unit: 'hours' }, emergency: true, rank: 2 },
    { code: 'urgent', label: 'Urgent', target: { amount: 5, unit: 'working-days' }, emergency: false, rank: 3 },
    { code: 'awaab-significant', label: "Damp and mould (Awaab's Law)", target: { amount: 10, unit: 'working-days' }, emergency: false, rank: 4 },
    { code: 'routine', label: 'Routine', target: { amount: 20, unit: 'working-days' }, emergency: false, rank: 5 },
  ],
  awaabPriority: 'awaab-significant',
  emergencies: [
    { value: 'gas', label: 'I can smell gas', action: 'gas' },
    { value: 'no-heating', label: 'No heating at all', action: 'emergency' },
    { value: 'no-water', label: 'No water at all', action: 'emergency' },
    { value: 'no-electricity', label: 'No electricity at all', action: 'emergency' },
    { value: 'water-on-electrics', label: 'Water leaking onto electrics or a light fitting', action: 'emergency' },
    { value: 'cannot-lock', label: 'I cannot lock my front door', action: 'emergency' },
    { value: 'exposed-wires', label: 'Wires are showing', action: 'emergency' },
    { value: 'alarm-sounding', label: 'A carbon monoxide or smoke alarm is sounding', action: 'emergency' },
  ],
  tree: {
    question: 'Where is the problem?',
    options: [
      { value: 'kitchen', label: 'Kitchen', question: 'What is the problem in the kitchen?', options: [
        dampOrMould('kitchen'),
        leaks('kitchen', [
          leaf('leak-sink', 'Under the sink', 'PLB001', 'urgent', 'plumbing', 60),
          leaf('leak-washing-machine', 'From the washing machine pipe', 'PLB002', 'urgent', 'plumbing', 45),
        ]),
        node('sink', 'Sink or taps', 'What is the problem with the sink or taps?', [
          leaf('sink-blocked', 'Sink blocked', 'DRN001', 'urgent', 'drainage', 45),
          leaf('tap-dripping', 'Tap dripping', 'PLB003', 'routine', 'plumbing', 30),
          leaf('tap-broken', 'Tap will not turn on or off', 'PLB004', 'urgent', 'plumbing', 45),
        ]),
        node('cupboards', 'Cupboards or worktops', 'What is the problem?', [
          leaf('cupboard-door', 'Cupboard door or hinge broken', 'CRP001', 'routine', 'carpentry', 45),
          leaf('worktop', 'Worktop damaged', 'CRP002', 'routine', 'carpentry', 120),
        ]),
        electrics(),
        windows(),
      ] },
      { value: 'bathroom', label: 'Bathroom or toilet', question: 'What is the problem in the bathroom?', options: [
        dampOrMould('bathroom'),
        leaks('bathroom', [
          leaf('leak-toilet', 'From the toilet', 'PLB011', 'urgent', 'plumbing', 60),
          leaf('leak-bath-shower', 'From the bath or shower', 'PLB012', 'urgent', 'plumbing', 60),
        ]),
        node('toilet', 'Toilet', 'What is the problem with the toilet?', [
          leaf('toilet-blocked-only', 'Blocked, and it is the only toilet', 'DRN002', 'emergency', 'drainage', 60),
          leaf('toilet-blocked', 'Blocked, and there is another toilet', 'DRN003', 'urgent', 'drainage', 60),
          leaf('toilet-not-flushing', 'Will not flush', 'PLB013', 'urgent', 'plumbing', 45),
          leaf('toilet-seat', 'Seat broken', 'PLB014', 'routine', 'plumbing', 30),
        ]),
        node('bath-shower', 'Bath, shower or basin', 'What is the problem?', [
          leaf('bath-blocked', 'Bath, shower or basin blocked', 'DRN004', 'urgent', 'drainage', 45),
          leaf('shower-not-working', 'Shower not working', 'PLB015', 'urgent', 'plumbing', 60),
          leaf('sealant', 'Sealant round the bath cracked or mouldy', 'PLB016', 'routine', 'plumbing', 45),
        ]),
        leaf('extractor-fan', 'Extractor fan not working', 'ELE003', 'urgent', 'electrical', 45, 'A fan that does not work lets damp build up'),
      ] },
      { value: 'bedroom', label: 'Bedroom', question: 'What is the problem in the bedroom?', options: [
        dampOrMould('bedroom'),
        windows(),
        electrics(),
        leaf('door-internal', 'Door or door handle broken', 'CRP020', 'routine', 'carpentry', 60),
        leaf('walls-plaster', 'Crack or hole in the wall or ceiling', 'PLS001', 'routine', 'plastering', 120),
      ] },
      { value: 'living-areas', label: 'Living room, hall or stairs', question: 'What is the problem?', options: [
        dampOrMould('room'),
        node('heating', 'Heating or hot water', 'What is the problem with the heating or hot water?', [
          leaf('no-heating-or-hot-water', 'No heating and no hot water', 'HTG001', 'emergency', 'heating', 90),
          leaf('no-hot-water', 'No hot water, heating works', 'HTG002', 'urgent', 'heating', 90),
          leaf('radiator-cold', 'One radiator cold', 'HTG003', 'routine', 'heating', 60),
          leaf('radiator-leak', 'Radiator leaking', 'HTG004', 'urgent', 'heating', 60),
          leaf('boiler-pressure', 'Boiler pressure low or boiler showing an error', 'HTG005', 'urgent', 'heating', 60),
          exit('gas-smell', 'I can smell gas', 'emergency', 'Leave the home, do not use switches, and call the National Gas Emergency Service on 0800 111 999.'),
        ]),
        node('front-door', 'Front door', 'What is the problem with the front door?', [
          exit('front-door-will-not-lock', 'Will not lock', 'emergency', 'A door that will not lock is an emergency: call us now.'),
          leaf('front-door-sticking', 'Sticking or hard to close', 'CRP021', 'urgent', 'carpentry', 60),
          leaf('front-door-draught', 'Draught or broken seal', 'CRP022', 'routine', 'carpentry', 60),
          leaf('letterbox', 'Letterbox broken', 'CRP023', 'routine', 'carpentry', 30),
        ]),
        node('stairs-floor', 'Stairs or floor', 'What is the problem?', [
          leaf('stair-banister', 'Banister or handrail loose', 'CRP030', 'urgent', 'carpentry', 60),
          leaf('floorboard', 'Floorboard loose or broken', 'CRP031', 'urgent', 'carpentry', 90),
        ]),
        windows(),
        electrics(),
        node('alarms', 'Smoke or carbon monoxide alarm', 'What is the problem with the alarm?', [
          exit('alarm-sounding', 'It is sounding now', 'emergency', 'If you can smell smoke or gas, or feel unwell, leave the home and call 999. Then call us.'),
          leaf('alarm-beeping', 'It beeps every so often', 'ELE010', 'urgent', 'electrical', 30, 'Usually the battery'),
          leaf('alarm-missing', 'It is missing or broken', 'ELE011', 'urgent', 'electrical', 45),
        ]),
      ] },
      { value: 'outside', label: 'Outside', question: 'What is the problem outside?', options: [
        node('roof', 'Roof, gutters or chimney', 'What is the problem?', [
          leaf('roof-leak', 'Roof leaking into the home', 'RFG001', 'emergency', 'roofing', 120),
          leaf('roof-tiles', 'Slipped or missing tiles', 'RFG002', 'urgent', 'roofing', 120),
          leaf('gutter-blocked', 'Gutter or downpipe blocked or broken', 'RFG003', 'routine', 'roofing', 90, 'Overflowing gutters can make walls damp'),
        ]),
        node('drains', 'Drains', 'What is the problem with the drains?', [
          leaf('drain-blocked', 'Drain blocked or overflowing', 'DRN010', 'urgent', 'drainage', 60),
          leaf('drain-smell', 'Bad smell from a drain', 'DRN011', 'routine', 'drainage', 45),
        ]),
        node('garden', 'Garden, fences or paths', 'What is the problem?', [
          leaf('fence', 'Fence or gate broken', 'GEN001', 'routine', 'general', 120),
          leaf('path', 'Path uneven or broken', 'GEN002', 'routine', 'general', 120, 'Report it as urgent by phone if someone could trip and fall'),
          exit('garden-upkeep', 'Grass, hedges or trees', 'not-responsible', 'Looking after the garden is your responsibility under your tenancy. Contact us if a tree is dangerous.'),
        ]),
        leaf('outside-wall', 'Crack in an outside wall', 'GEN003', 'routine', 'general', 60),
      ] },
      { value: 'communal', label: 'Communal areas', hint: 'Shared stairs, corridors, lifts, bin stores', question: 'What is the problem in the communal area?', options: [
        leaf('communal-lighting', 'Lights not working', 'ELE020', 'urgent', 'electrical', 45),
        leaf('communal-door', 'Entrance door or entry phone not working', 'CRP040', 'urgent', 'carpentry', 60),
        leaf('communal-damp', 'Damp or mould', 'DMP010', 'awaab-significant', 'damp-and-mould', 90),
        leaf('communal-leak', 'Leak', 'PLB020', 'urgent', 'plumbing', 60),
        exit('lift', 'Lift not working', 'contact-us', 'Call us so we can send the lift engineer straight away.'),
        exit('bins', 'Bins or rubbish', 'not-responsible', 'Bin collections are the council\'s: report missed bins to the council.'),
      ] },
      exit('something-else', 'Something else', 'cannot-book', 'We cannot book this online. Call us and we will arrange it.'),
    ],
  },
  alertRules: [
    { name: 'Risk to staff', codes: ['10', '10-10', 'RISK'], operativeWords: 'Visit in pairs' },
    { name: 'Vulnerable or unwell resident', codes: ['20', '20-30', '20-40', '20-50', '20-60', 'MED', 'PREG', 'MH', 'AGE'], raiseTo: 'urgent', operativeWords: 'Call before visiting' },
    { name: 'Safeguarding', codes: ['20-70', '60', 'SAF'], raiseTo: 'urgent', operativeWords: 'Call before visiting' },
    { name: 'Slow to answer the door', codes: ['20-10', '20-20', '20-40', '20-50', '20-60'], operativeWords: 'Allow extra time at the door' },
    { name: 'Communication needs', codes: ['40', 'COMM'], operativeWords: 'Check with the repairs planner how to communicate' },
    { name: 'Misses appointments', codes: ['30'], operativeWords: 'Call the day before to confirm' },
    { name: 'Who may visit', codes: ['50'], operativeWords: 'Check with the repairs planner before visiting' },
  ],
  slots: [
    { code: 'AM', label: 'Morning (8am to 1pm)', start: '08:00', end: '13:00' },
    { code: 'PM', label: 'Afternoon (midday to 6pm)', start: '12:00', end: '18:00' },
  ],
};

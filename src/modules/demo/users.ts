// The demo landlord's staff: one account per role, all with the same password (printed at start; never in production).
export const DEMO_PASSWORD = 'hearth-demo-password';
export const DEMO_USERS = [
  { email: 'officer@demo.hearth.example', name: 'Sam Okafor', role: 'housing-officer' },
  { email: 'admin@demo.hearth.example', name: 'Alex Morgan', role: 'administrator' },
  { email: 'asb@demo.hearth.example', name: 'Priya Patel', role: 'asb-officer' },
  { email: 'repairs@demo.hearth.example', name: 'Jamie Evans', role: 'repairs-planner' },
  { email: 'compliance@demo.hearth.example', name: 'Dana Whitfield', role: 'compliance-lead' },
  { email: 'data@demo.hearth.example', name: 'Chris Nowak', role: 'data-lead' },
  { email: 'analyst@demo.hearth.example', name: 'Robin Shah', role: 'analyst' },
  { email: 'operative@demo.hearth.example', name: 'Kai Brennan', role: 'operative' },
] as const;

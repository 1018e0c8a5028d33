// Roles and what each may do. Least privilege: sensitive person data (alerts) is for the roles that act on it.
export const ROLES = ['administrator', 'housing-officer', 'asb-officer', 'repairs-planner', 'compliance-lead', 'data-lead', 'analyst'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_NAMES: Record<Role, string> = {
  administrator: 'Administrator',
  'housing-officer': 'Housing officer',
  'asb-officer': 'ASB officer',
  'repairs-planner': 'Repairs planner',
  'compliance-lead': 'Compliance lead',
  'data-lead': 'Data lead',
  analyst: 'Read-only analyst',
};

export type Permission =
  | 'records:read' // homes, blocks, estates, people, tenancies, repairs, notes
  | 'records:write'
  | 'alerts:read' // sensitive: every read is audited
  | 'alerts:write'
  | 'organisation:write'
  | 'users:manage'
  | 'audit:read'
  | 'imports:manage' // load files, see what was rejected (rows as read, which may hold sensitive data)
  | 'links:decide' // record linkage: accept or reject that two records are one person, split a record out
  | 'hazards:write'; // log a hazard report (Awaab's Law) and record what happened to it

const GRANTS: Record<Role, Permission[]> = {
  administrator: ['records:read', 'records:write', 'alerts:read', 'alerts:write', 'organisation:write', 'users:manage', 'audit:read', 'imports:manage', 'links:decide', 'hazards:write'],
  'housing-officer': ['records:read', 'records:write', 'alerts:read', 'alerts:write', 'hazards:write'],
  'asb-officer': ['records:read', 'records:write', 'alerts:read', 'alerts:write', 'hazards:write'],
  // Repairs staff see alerts such as "don't visit alone" before a visit, but do not record them.
  'repairs-planner': ['records:read', 'alerts:read', 'hazards:write'],
  // Answers the regulator: building safety, damp and mould, Awaab's Law clocks. Sees which households are at greater
  // risk from damp (alerts, audited) to put them first.
  'compliance-lead': ['records:read', 'alerts:read', 'hazards:write'],
  'data-lead': ['records:read', 'records:write', 'alerts:read', 'alerts:write', 'audit:read', 'imports:manage', 'links:decide'],
  analyst: ['records:read'],
};

export function can(role: Role, permission: Permission): boolean {
  return GRANTS[role]?.includes(permission) ?? false;
}

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

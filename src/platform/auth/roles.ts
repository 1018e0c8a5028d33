// Roles and what each may do. Least privilege: sensitive person data (alerts) is for the roles that act on it.
export const ROLES = ['administrator', 'housing-officer', 'asb-officer', 'repairs-planner', 'compliance-lead', 'data-lead', 'analyst', 'operative'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_NAMES: Record<Role, string> = {
  administrator: 'Administrator',
  'housing-officer': 'Housing officer',
  'asb-officer': 'ASB officer',
  'repairs-planner': 'Repairs planner',
  'compliance-lead': 'Compliance lead',
  'data-lead': 'Data lead',
  analyst: 'Read-only analyst',
  operative: 'Operative',
};

/**
 * What a role may do, as "area:verb". The platform's own permissions are below; each module declares its own with the
 * roles that get them (its manifest's `permissions`, installed at start), so a new module adds its permission in its
 * own folder. Checked at run time: asking about a permission nobody declared is a mistake in the code, not a "no".
 */
export type Permission = `${string}:${string}`;

export interface PermissionDeclaration {
  name: Permission;
  /** What it allows, in a few words (for the reader of the manifest). */
  description: string;
  roles: readonly Role[];
}

const PLATFORM_PERMISSIONS: readonly PermissionDeclaration[] = [
  // Operatives (issue 14) see their own jobs through scheduling and repairs, not the whole record.
  { name: 'records:read', description: 'homes, blocks, estates, people, tenancies, repairs, notes', roles: ROLES.filter((r) => r !== 'operative') },
  { name: 'records:write', description: 'create and change those records', roles: ['administrator', 'housing-officer', 'asb-officer', 'data-lead'] },
  { name: 'users:manage', description: 'staff accounts and API tokens', roles: ['administrator'] },
  { name: 'audit:read', description: 'the audit log', roles: ['administrator', 'data-lead'] },
];

const GRANTS = new Map<Permission, { roles: ReadonlySet<Role>; by: string }>();
for (const p of PLATFORM_PERMISSIONS) GRANTS.set(p.name, { roles: new Set(p.roles), by: 'platform' });

/** Declare permissions (a module's, when it is installed). The same declaration again is a no-op; a clash is an error. */
export function declarePermissions(by: string, permissions: readonly PermissionDeclaration[]): void {
  for (const p of permissions) {
    const known = GRANTS.get(p.name);
    if (known && known.by !== by) throw new Error(`permission ${p.name} is declared by both ${known.by} and ${by}`);
    GRANTS.set(p.name, { roles: new Set(p.roles), by });
  }
}

/** Every declared permission and the roles that have it. */
export function permissions(): { name: Permission; roles: Role[]; by: string }[] {
  return [...GRANTS].map(([name, g]) => ({ name, roles: ROLES.filter((r) => g.roles.has(r)), by: g.by }));
}

export function can(role: Role, permission: Permission): boolean {
  const grant = GRANTS.get(permission);
  if (!grant) throw new Error(`permission ${permission} is declared by no installed module (src/modules/index.ts)`);
  return grant.roles.has(role);
}

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

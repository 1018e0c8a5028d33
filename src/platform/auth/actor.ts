import type { Role } from './roles.ts';

/** Who is acting: a signed-in member of staff, an API token, or Hearth itself (imports, demo data). */
export interface Actor {
  kind: 'user' | 'token' | 'system';
  id: string;
  name: string;
  organisationId: string;
  role: Role;
}

export function systemActor(organisationId: string, name = 'Hearth'): Actor {
  return { kind: 'system', id: 'system', name, organisationId, role: 'administrator' };
}

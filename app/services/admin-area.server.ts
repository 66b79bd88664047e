/** The /admin layout: admins only, so every page under it answers 403 to anyone else first. */
import type { User } from '~/data/repository';
import { requireAdmin } from './access.server';

export function openAdminArea(actor: User | null): { adminName: string } {
  const admin = requireAdmin(actor);
  return { adminName: `${admin.firstName} ${admin.lastName}`.trim() };
}

/** The three roles, in increasing order of power. */
export const ROLES = ["viewer", "editor", "admin"] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === "string" && (ROLES as readonly string[]).includes(value);
}

/** Does `have` include everything `need` may do? Unknown roles get nothing. */
export function roleAtLeast(have: unknown, need: Role): boolean {
  if (!isRole(have)) return false;
  return ROLES.indexOf(have) >= ROLES.indexOf(need);
}

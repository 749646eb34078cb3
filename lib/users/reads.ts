/** Accounts as the admin's Users page lists them. */
import { getDb } from "@/lib/db/client";
import type { DbOrTx } from "@/lib/db/types";

export interface UserRow {
  id: string;
  email: string;
  name: string;
  role: string;
  createdAt: Date;
  /** The Person of the minutes this account is, if linked. */
  personId: string | null;
}

export async function listUsers(db: DbOrTx = getDb()): Promise<UserRow[]> {
  const rows = await db.user.findMany({
    orderBy: { createdAt: "asc" },
    select: { id: true, email: true, name: true, role: true, createdAt: true, person: { select: { id: true } } },
  });
  return rows.map(({ person, ...u }) => ({ ...u, personId: person?.id ?? null }));
}

/** A fresh deployment has none: the sign-in page then says how to create the first admin. */
export async function hasAnyAccount(db: DbOrTx = getDb()): Promise<boolean> {
  return (await db.user.count()) > 0;
}

/**
 * What differs between the two engines inside an ordinary Prisma query. Raw SQL that
 * differs (full-text search) stays with its feature and asks `db.provider` too.
 */
import type { Prisma as PgPrisma } from "@/generated/postgres/client";
import type { Provider } from "./config";
import type { Prisma } from "./types";

/**
 * "Contains this text, whatever the case". SQLite's LIKE already ignores ASCII case;
 * PostgreSQL needs `mode: "insensitive"`, which only its client's types know. The
 * filter is built as the PostgreSQL client's own type and handed on as the shared one
 * (it is one, plus a field that only the PostgreSQL handle ever receives).
 */
export function containsText(provider: Provider, text: string): Prisma.StringFilter {
  if (provider === "postgresql") {
    const insensitive: PgPrisma.StringFilter = { contains: text, mode: "insensitive" };
    return insensitive;
  }
  return { contains: text };
}

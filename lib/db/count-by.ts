import type { CountGroups } from "./types";

/**
 * Rows per value of one column (`GROUP BY field`), e.g. items per status. The only
 * grouping the app needs, typed the same for both providers (see CountGroups).
 * Rows whose value is null are left out.
 */
export async function countBy<F extends string, W>(model: CountGroups<F, W>, field: F, where?: W): Promise<Map<string, number>> {
  const rows = await model.groupBy({ by: [field], where, _count: { _all: true } });
  const out = new Map<string, number>();
  for (const r of rows) if (r[field] !== null && r[field] !== undefined) out.set(String(r[field]), r._count._all);
  return out;
}

/**
 * Who collects which host when several server instances share one PostgreSQL database: a
 * lease row per host (HostLease), taken when free or expired, renewed by its holder's
 * heartbeat. Time is PostgreSQL's (now()), never an instance's clock, so clock skew between
 * instances cannot give a host two collectors. The bound on a takeover is LEASE_TAKEOVER_MS
 * (lib/devmodel/timeouts.ts): TTL plus one heartbeat.
 *
 * Plain `pg` (no Prisma): one statement per heartbeat for every host, atomic per row.
 */
import type pg from "pg";
import { LEASE_TTL_MS } from "@/lib/devmodel/timeouts";

/** PostgreSQL's now() as the UTC wall time the (timestamp without time zone) columns hold, like Prisma writes. */
export const PG_NOW = `(now() AT TIME ZONE 'UTC')`;

export type Queryable = Pick<pg.Pool, "query">;

export class LeaseStore {
  constructor(
    private readonly db: Queryable,
    readonly owner: string,
    private readonly ttlMs: number = LEASE_TTL_MS,
  ) {}

  /**
   * Take or renew the lease of each of `hostIds` this instance may hold: its own (renewed),
   * free ones and expired ones (taken). Two instances racing for one expired lease: the row
   * lock of ON CONFLICT serialises them and the second sees the first's fresh lease, so
   * exactly one wins. Returns the hosts held afterwards.
   */
  async acquire(hostIds: readonly string[]): Promise<Set<string>> {
    if (hostIds.length === 0) return new Set();
    const res = await this.db.query<{ hostId: string }>(
      `INSERT INTO "HostLease" ("hostId", "owner", "expiresAt", "renewedAt")
       SELECT h, $1, ${PG_NOW} + make_interval(secs => $3::double precision / 1000), ${PG_NOW} FROM unnest($2::text[]) AS h
       ON CONFLICT ("hostId") DO UPDATE SET "owner" = EXCLUDED."owner", "expiresAt" = EXCLUDED."expiresAt", "renewedAt" = EXCLUDED."renewedAt"
       WHERE "HostLease"."owner" = EXCLUDED."owner" OR "HostLease"."expiresAt" < EXCLUDED."renewedAt"
       RETURNING "hostId"`,
      [this.owner, [...hostIds], this.ttlMs],
    );
    return new Set(res.rows.map((r) => r.hostId));
  }

  /** Give up leases (all of this instance's by default): a clean shutdown hands its hosts over at once. */
  async release(hostIds?: readonly string[]): Promise<number> {
    const res = hostIds
      ? await this.db.query(`DELETE FROM "HostLease" WHERE "owner" = $1 AND "hostId" = ANY($2::text[])`, [this.owner, [...hostIds]])
      : await this.db.query(`DELETE FROM "HostLease" WHERE "owner" = $1`, [this.owner]);
    return res.rowCount ?? 0;
  }

  /** Every unexpired lease: host id → owner. */
  async holders(): Promise<Map<string, string>> {
    const res = await this.db.query<{ hostId: string; owner: string }>(`SELECT "hostId", "owner" FROM "HostLease" WHERE "expiresAt" >= ${PG_NOW}`);
    return new Map(res.rows.map((r) => [r.hostId, r.owner]));
  }
}

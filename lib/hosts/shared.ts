/**
 * The live state of every host when several server instances share one PostgreSQL database.
 *
 * - Each host is read by exactly one instance: the one holding its lease (./lease.ts). This
 *   instance's Collector runs runners only for the hosts it holds; every heartbeat renews
 *   them, takes free or expired ones, and drops the ones it lost.
 * - What the collecting instance reads is written to HostLiveState (snapshot and analysis of
 *   the last good read, the read's status) and announced with NOTIFY (host id + version).
 * - Every instance LISTENs, reads the row that changed, keeps it in memory and tells its
 *   /api/live subscribers; pages render from these rows, so any instance renders any host.
 *   The heartbeat also re-reads what a lost notification would have carried.
 *
 * SQLite (the embedded default) never gets here: the Collector alone is the live view.
 */
import os from "node:os";
import { randomBytes } from "node:crypto";
import pg from "pg";
import type { CompiledRules, HostAnalysis } from "@/lib/devmodel/analysis";
import { LEASE_HEARTBEAT_MS, LEASE_TTL_MS } from "@/lib/devmodel/timeouts";
import type { HostSnapshot } from "@/lib/devmodel/types";
import { log } from "@/lib/log";
import type { Collector } from "./collector";
import { changedDomids } from "./diff";
import { LeaseStore, PG_NOW } from "./lease";
import { statusAt } from "./runner";
import type { HostConfig, HostState, LiveUpdate } from "./types";

/** What pages, the read API and /api/live read: the Collector itself, or SharedLive on PostgreSQL. */
export interface LiveView {
  states(now?: number): HostState[];
  state(hostId: string): HostState | null;
  subscribe(fn: (u: LiveUpdate) => void): () => void;
  readonly subscriberCount: number;
  readonly rules: CompiledRules;
  ready(timeoutMs?: number): Promise<void>;
}

/** NOTIFY channels: a host's row changed ("<hostId> <version>"); hosts, rules or leases changed (reload). */
export const LIVE_CHANNEL = "dmboard_live";
export const RELOAD_CHANNEL = "dmboard_reload";

/** This process's name in leases and rows: host name, pid and a random part (a restarted pid is another instance). */
export function newInstanceId(): string {
  return `${os.hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`;
}

interface Entry {
  version: number;
  owner: string;
  lastAttemptAt: string | null;
  lastGoodAt: string | null;
  error: string | null;
  elapsedMs: number | null;
  reads: number;
  watching: boolean;
  watchError: string | null;
  snapshot: HostSnapshot | null;
  analysis: HostAnalysis | null;
}

const META = `"hostId", "version", "owner", "lastAttemptAt"::text AS "lastAttemptAt", "lastGoodAt"::text AS "lastGoodAt", "error", "elapsedMs", "reads", "watching", "watchError"`;
type MetaRow = Omit<Entry, "snapshot" | "analysis"> & { hostId: string };

/** A `timestamp` column read as text ("2026-11-30 10:00:00.123", UTC wall time) → ISO. */
const iso = (t: string | null) => (t === null ? null : new Date(t.replace(" ", "T") + "Z").toISOString());

export interface SharedLiveOptions {
  url: string;
  collector: Collector;
  /** This instance's id (newInstanceId()). */
  owner?: string;
  /** Called on a reload notification (an admin changed hosts or rules on some instance). */
  onReload?: () => void;
  heartbeatMs?: number;
  ttlMs?: number;
  /** False: show every host, read none (DMBOARD_COLLECTOR=off, a read-only instance). Default true. */
  collect?: boolean;
}

export class SharedLive implements LiveView {
  readonly owner: string;
  readonly leases: LeaseStore;
  private readonly pool: pg.Pool;
  private listener: pg.Client | null = null;
  private hosts: HostConfig[] = [];
  private held = new Set<string>();
  private cache = new Map<string, Entry>();
  private listeners = new Set<(u: LiveUpdate) => void>();
  private writes = new Map<string, Promise<void>>();
  private lastWritten = new Map<string, string>();
  private lastRenewOk = 0;
  private timer: NodeJS.Timeout | null = null;
  private ticking: Promise<void> | null = null;
  private loaded: Promise<void>;
  private resolveLoaded!: () => void;
  private stopped = false;
  private unsubscribeLocal: () => void;
  /** Heartbeats run (for tests and the status line). */
  ticks = 0;
  private readonly createdAt = Date.now();
  /** How this instance's connections show in pg_stat_activity. */
  private get appName(): string {
    return `dmboard-live ${this.owner}`.slice(0, 63);
  }

  constructor(private readonly opts: SharedLiveOptions) {
    this.owner = opts.owner ?? newInstanceId();
    // Every wait bounded: a hung database must not hang the heartbeat (see heartbeat()).
    this.pool = new pg.Pool({
      connectionString: opts.url,
      max: 4,
      connectionTimeoutMillis: 3000,
      query_timeout: 3000,
      keepAlive: true,
      application_name: this.appName,
    });
    // pg's errors carry their client: log the message alone.
    this.pool.on("error", (err) => log.warn({ error: err.message }, "live state: idle connection failed"));
    this.leases = new LeaseStore(this.pool, this.owner, opts.ttlMs ?? LEASE_TTL_MS);
    this.loaded = new Promise((r) => (this.resolveLoaded = r));
    this.unsubscribeLocal = opts.collector.subscribe((u) => this.onLocal(u.hostId));
  }

  get rules(): CompiledRules {
    return this.opts.collector.rules;
  }

  get subscriberCount(): number {
    return this.listeners.size;
  }

  /** Hosts this instance collects now. */
  get collecting(): ReadonlySet<string> {
    return this.held;
  }

  async start(): Promise<void> {
    await this.listen();
    const every = this.opts.heartbeatMs ?? LEASE_HEARTBEAT_MS;
    this.timer = setInterval(() => void this.tick(), every);
    this.timer.unref();
    await this.tick();
  }

  /** The enabled hosts every instance shows; only the leased ones are read here. */
  setHosts(hosts: readonly HostConfig[]): void {
    this.hosts = hosts.filter((h) => h.enabled);
    const ids = new Set(this.hosts.map((h) => h.id));
    for (const id of this.cache.keys()) if (!ids.has(id)) this.cache.delete(id);
    void this.tick();
  }

  private async listen(): Promise<void> {
    if (this.stopped) return;
    const c = new pg.Client({ connectionString: this.opts.url, keepAlive: true, connectionTimeoutMillis: 5000, application_name: this.appName });
    c.on("error", (err) => log.warn({ error: err.message }, "live state: LISTEN connection failed"));
    c.on("end", () => {
      if (this.listener !== c || this.stopped) return;
      this.listener = null;
      this.relisten();
    });
    c.on("notification", (n) => {
      if (n.channel === RELOAD_CHANNEL) {
        this.opts.onReload?.();
        void this.tick();
        return;
      }
      const [hostId, v] = (n.payload ?? "").split(" ");
      const version = Number(v);
      if (!hostId || !Number.isFinite(version)) return;
      if ((this.cache.get(hostId)?.version ?? -1) >= version) return;
      void this.fetch([hostId]).catch((err) => log.warn({ err, hostId }, "live state: could not read a changed host"));
    });
    try {
      await c.connect();
      await c.query(`LISTEN ${LIVE_CHANNEL}`);
      await c.query(`LISTEN ${RELOAD_CHANNEL}`);
    } catch (err) {
      await c.end().catch(() => undefined);
      log.warn({ error: (err as Error).message }, "live state: LISTEN reconnect failed");
      this.relisten();
      return;
    }
    this.listener = c;
  }

  /** Listen again after a pause (until it works); the heartbeat meanwhile re-reads what changed. */
  private relisten(): void {
    if (this.stopped) return;
    setTimeout(() => void this.listen(), 1000).unref();
  }

  /** Tell every instance (this one too) to reload hosts and rules, and to look at the leases now. */
  async notifyReload(): Promise<void> {
    await this.pool.query(`SELECT pg_notify($1, $2)`, [RELOAD_CHANNEL, this.owner]);
  }

  /** One heartbeat: leases (renew, take, drop), then the rows a notification may have missed. */
  tick(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.ticking) return this.ticking;
    this.ticking = this.heartbeat()
      .catch((err) => log.warn({ err }, "live state: heartbeat failed"))
      .finally(() => {
        this.ticking = null;
        this.ticks++;
      });
    return this.ticking;
  }

  private async heartbeat(): Promise<void> {
    const ids = this.opts.collect === false ? [] : this.hosts.map((h) => h.id);
    try {
      const held = await this.leases.acquire(ids);
      this.lastRenewOk = Date.now();
      const lost = [...this.held].filter((id) => !held.has(id));
      const gained = [...held].filter((id) => !this.held.has(id));
      if (lost.length || gained.length)
        log.info({ owner: this.owner, gained: gained.length, lost: lost.length, holding: held.size }, "live state: leases changed");
      this.held = held;
    } catch (err) {
      // Without a renewal our leases expire TTL after the last one: when the next heartbeat comes
      // too late to renew them, stop reading now, before another instance may start.
      const every = this.opts.heartbeatMs ?? LEASE_HEARTBEAT_MS;
      if (Date.now() + every >= this.lastRenewOk + (this.opts.ttlMs ?? LEASE_TTL_MS)) this.held = new Set();
      log.warn({ err }, "live state: could not renew leases");
    }
    if (this.stopped) return;
    this.opts.collector.setHosts(this.hosts.filter((h) => this.held.has(h.id)));
    // Now and then: the rows and leases of deleted hosts (no foreign key: a lease must not block a delete).
    if (this.ticks % 12 === 0) {
      await this.pool.query(`DELETE FROM "HostLiveState" WHERE "hostId" NOT IN (SELECT "id" FROM "Host")`);
      await this.pool.query(`DELETE FROM "HostLease" WHERE "expiresAt" < ${PG_NOW} AND "hostId" NOT IN (SELECT "id" FROM "Host")`);
    }
    await this.sync();
    this.resolveLoaded();
  }

  /** Re-read every row's status; fetch the full row of those with a newer version than held here. */
  private async sync(): Promise<void> {
    const res = await this.pool.query<MetaRow>(`SELECT ${META} FROM "HostLiveState"`);
    const newer: string[] = [];
    for (const r of res.rows) {
      const e = this.cache.get(r.hostId);
      if (!e || r.version > e.version) newer.push(r.hostId);
      else if (r.version === e.version) Object.assign(e, this.meta(r));
    }
    if (newer.length) await this.fetch(newer);
  }

  private meta(r: MetaRow): Omit<Entry, "snapshot" | "analysis" | "version"> {
    return {
      owner: r.owner,
      lastAttemptAt: iso(r.lastAttemptAt),
      lastGoodAt: iso(r.lastGoodAt),
      error: r.error,
      elapsedMs: r.elapsedMs,
      reads: r.reads,
      watching: r.watching,
      watchError: r.watchError,
    };
  }

  private async fetch(hostIds: string[]): Promise<void> {
    const res = await this.pool.query<MetaRow & { state: string | null }>(`SELECT ${META}, "state" FROM "HostLiveState" WHERE "hostId" = ANY($1::text[])`, [
      hostIds,
    ]);
    for (const r of res.rows) {
      const prev = this.cache.get(r.hostId);
      if (prev && prev.version >= r.version) continue;
      let body: { snapshot: HostSnapshot | null; analysis: HostAnalysis | null } = { snapshot: null, analysis: null };
      try {
        if (r.state) body = JSON.parse(r.state);
      } catch {
        // An unreadable body: shown as no read yet.
      }
      this.put(r.hostId, { version: r.version, ...this.meta(r), snapshot: body.snapshot, analysis: body.analysis }, prev?.analysis ?? null);
    }
  }

  private put(hostId: string, e: Entry, prevAnalysis: HostAnalysis | null): void {
    this.cache.set(hostId, e);
    const s = this.state(hostId);
    if (!s) return;
    const u: LiveUpdate = {
      hostId,
      name: s.host.name,
      status: s.status,
      version: e.version,
      lastGoodAt: e.lastGoodAt,
      error: e.error,
      vmCount: e.analysis?.summary.vmCount ?? 0,
      deprivileged: e.analysis?.summary.deprivileged ?? 0,
      changed: changedDomids(prevAnalysis, e.analysis),
    };
    for (const l of this.listeners) {
      try {
        l(u);
      } catch {
        // one broken subscriber must not stop the others
      }
    }
  }

  /** The local collector finished a read of a host we hold: store it (one write at a time per host). */
  private onLocal(hostId: string): void {
    if (this.stopped || !this.held.has(hostId)) return;
    const prev = this.writes.get(hostId) ?? Promise.resolve();
    const next = prev
      .then(() => this.write(hostId))
      .catch((err) => log.warn({ err, hostId }, "live state: could not store a read"))
      .finally(() => {
        if (this.writes.get(hostId) === next) this.writes.delete(hostId);
      });
    this.writes.set(hostId, next);
  }

  private async write(hostId: string): Promise<void> {
    const s = this.opts.collector.state(hostId);
    if (!s || !this.held.has(hostId)) return;
    const good = s.error === null && s.analysis !== null;
    // Worth a NOTIFY: another analysis, another error, another watch state. A read that found
    // the same as before only refreshes the times (the heartbeat's sync carries them).
    const analysisJson = good ? JSON.stringify(s.analysis) : null;
    const signature = JSON.stringify([analysisJson, s.error, s.watching, s.watchError]);
    const bump = this.lastWritten.get(hostId) !== signature;
    const body = good && bump ? JSON.stringify({ snapshot: s.snapshot, analysis: s.analysis }) : null;
    const res = await this.pool.query<{ version: number; reads: number }>(
      `INSERT INTO "HostLiveState" ("hostId", "version", "owner", "lastAttemptAt", "lastGoodAt", "ok", "error", "elapsedMs", "reads", "watching", "watchError", "state", "updatedAt")
       SELECT $1, 1, $2, $3::timestamp, $4::timestamp, $5, $6, $7, 1, $8, $9, $10, ${PG_NOW}
       WHERE EXISTS (SELECT 1 FROM "HostLease" l WHERE l."hostId" = $1 AND l."owner" = $2 AND l."expiresAt" >= ${PG_NOW})
       ON CONFLICT ("hostId") DO UPDATE SET
         "version" = "HostLiveState"."version" + $11,
         "owner" = EXCLUDED."owner",
         "lastAttemptAt" = EXCLUDED."lastAttemptAt",
         "lastGoodAt" = COALESCE(EXCLUDED."lastGoodAt", "HostLiveState"."lastGoodAt"),
         "ok" = EXCLUDED."ok",
         "error" = EXCLUDED."error",
         "elapsedMs" = EXCLUDED."elapsedMs",
         "reads" = "HostLiveState"."reads" + 1,
         "watching" = EXCLUDED."watching",
         "watchError" = EXCLUDED."watchError",
         "state" = COALESCE(EXCLUDED."state", "HostLiveState"."state"),
         "updatedAt" = EXCLUDED."updatedAt"
       RETURNING "version", "reads"`,
      [hostId, this.owner, s.lastAttemptAt, good ? s.lastGoodAt : null, good, s.error, s.elapsedMs, s.watching, s.watchError, body, bump ? 1 : 0],
    );
    if (res.rows.length === 0) return; // the lease went meanwhile: the new holder writes
    const { version, reads } = res.rows[0];
    this.lastWritten.set(hostId, signature);
    const old = this.cache.get(hostId);
    const entry: Entry = {
      version,
      owner: this.owner,
      lastAttemptAt: s.lastAttemptAt,
      lastGoodAt: good ? s.lastGoodAt : (old?.lastGoodAt ?? null),
      error: s.error,
      elapsedMs: s.elapsedMs,
      // The row's count, not ours + 1: reads by the previous holder that sent no NOTIFY (nothing
      // changed) reach our cache only at the next heartbeat.
      reads,
      watching: s.watching,
      watchError: s.watchError,
      snapshot: good ? s.snapshot : (old?.snapshot ?? null),
      analysis: good ? s.analysis : (old?.analysis ?? null),
    };
    if (bump) {
      this.put(hostId, entry, old?.analysis ?? null);
      await this.pool.query(`SELECT pg_notify($1, $2)`, [LIVE_CHANNEL, `${hostId} ${version}`]);
    } else this.cache.set(hostId, entry);
  }

  states(now: number = Date.now()): HostState[] {
    return this.hosts.map((h) => this.stateOf(h, now)).sort((a, b) => a.host.name.localeCompare(b.host.name));
  }

  state(hostId: string): HostState | null {
    const h = this.hosts.find((x) => x.id === hostId);
    return h ? this.stateOf(h, Date.now()) : null;
  }

  private stateOf(host: HostConfig, now: number): HostState {
    const e = this.cache.get(host.id);
    const s: HostState = {
      host,
      status: "pending",
      lastAttemptAt: e?.lastAttemptAt ?? null,
      error: e?.error ?? null,
      lastGoodAt: e?.lastGoodAt ?? null,
      snapshot: e?.snapshot ?? null,
      analysis: e?.analysis ?? null,
      elapsedMs: e?.elapsedMs ?? null,
      version: e?.version ?? 0,
      watching: e?.watching ?? false,
      watchError: e?.watchError ?? null,
      reads: e?.reads ?? 0,
      collectedBy: e?.owner ?? null,
    };
    s.status = statusAt(s, now);
    return s;
  }

  subscribe(fn: (u: LiveUpdate) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /**
   * After the first heartbeat, until every host has a row (or the timeout). Only in the first
   * half minute: later, a host nobody reads (every instance read-only) must not slow each page.
   */
  async ready(timeoutMs = 30_000): Promise<void> {
    const until = Math.min(Date.now() + timeoutMs, this.createdAt + 30_000);
    await Promise.race([this.loaded, new Promise((r) => setTimeout(r, timeoutMs).unref())]);
    while (Date.now() < until && this.hosts.some((h) => !this.cache.get(h.id)?.lastAttemptAt)) await new Promise((r) => setTimeout(r, 25));
  }

  /**
   * Stop reading, hand the leases over (a clean stop: the others take the hosts at their next
   * heartbeat), close. `release: false` leaves the leases to expire, as a crash would.
   */
  async stop(opts: { release?: boolean } = {}): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.unsubscribeLocal();
    this.listeners.clear();
    await this.opts.collector.stop();
    await Promise.allSettled(this.writes.values());
    try {
      if (opts.release !== false && (await this.leases.release()) > 0) await this.pool.query(`SELECT pg_notify($1, $2)`, [RELOAD_CHANNEL, this.owner]);
    } catch (err) {
      log.warn({ err }, "live state: could not release leases (they expire)");
    }
    const l = this.listener;
    this.listener = null;
    await l?.end().catch(() => undefined);
    await this.pool.end().catch(() => undefined);
  }
}

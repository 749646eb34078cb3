/**
 * Writes by other processes, for the reads kept until a write (./kept.ts). A handle sees its
 * own writes; these sources tell it about everybody else's:
 *
 * - PostgreSQL (several server instances, a CLI): triggers on the tables kept reads depend
 *   on NOTIFY `dmboard_writes` with the table's name at commit (migration 0006_write_notify).
 *   One dedicated connection per process LISTENs and moves that table's generation on. While
 *   it is not listening, nothing can be trusted: no answer is kept, and every (re)connect
 *   moves an epoch on that every stamp includes (what was kept before may have missed a write).
 * - SQLite (a CLI import in another process): `PRAGMA data_version` changes on a connection
 *   when another connection committed. It is read, synchronously, on a small connection of
 *   the source's own to the same file (sqliteWriteSource).
 *
 * State is on globalThis, per database URL: Next bundles this module several times, and the
 * listener started by instrumentation.ts must be the one every bundle's client asks.
 */
import Database from "better-sqlite3";
import pg from "pg";
import { log } from "@/lib/log";
import type { WriteSource } from "./kept";

export const WRITES_CHANNEL = "dmboard_writes";

/** The tables whose writes are announced (the triggers of prisma/extra/postgresql/0006_write_notify.sql, 0007_more_write_notify.sql and 0008_link_write_notify.sql). */
export const WRITE_NOTICE_TABLES: ReadonlySet<string> = new Set([
  "Meeting",
  "ActionItem",
  "ActionItemOwner",
  "ActionItemTopic",
  "Person",
  "Topic",
  "Review",
  "Series",
  "SeriesSchedule",
  "ScheduleException",
  "MeetingTopic",
  "MeetingAttendee",
  "ActionItemLink",
  // better-auth's (@@map names): the session reuse of lib/auth/session-memo.ts.
  "user",
  "session",
]);

/** Bounds: connect, LISTEN and every liveness check; the pause before a reconnect grows to the last. */
const CONNECT_TIMEOUT_MS = 5000;
const QUERY_TIMEOUT_MS = 5000;
const BACKOFF_MS = [250, 500, 1000, 2000, 5000, 10_000];
/** How often the connection proves it is alive: a half-open socket would otherwise look connected and hear nothing. */
const PING_MS = 15_000;

interface Listening {
  /** Moves on at every (re)connect: answers kept under an earlier epoch may have missed a write. */
  epoch: number;
  listening: boolean;
  tables: Map<string, number>;
  listener: WriteListener | null;
}

const g = globalThis as unknown as { dmboardWriteNotices?: Map<string, Listening> };
const byUrl = (g.dmboardWriteNotices ??= new Map());
const listeningOn = (url: string): Listening => {
  let l = byUrl.get(url);
  if (!l) byUrl.set(url, (l = { epoch: 0, listening: false, tables: new Map(), listener: null }));
  return l;
};

/** The source of a PostgreSQL handle: trusted only while this process listens on its database. */
export function postgresWriteSource(url: string): WriteSource {
  const l = listeningOn(url);
  return {
    stamp(tables) {
      if (!l.listening || !tables.every((t) => WRITE_NOTICE_TABLES.has(t))) return null;
      return [l.epoch, ...tables.map((t) => l.tables.get(t) ?? 0)].join(".");
    },
  };
}

/**
 * The source of a SQLite handle: `PRAGMA data_version` of a connection of its own to the
 * same file, which moves on with every commit of any other connection (the handle's among
 * them, whose writes ./kept.ts counts anyway: one more recompute after each, never a
 * missed one). Asked before every kept read, several times per page view: synchronously
 * here it costs microseconds, where the same PRAGMA through the handle's client paid a
 * Prisma query each time. Opened on first use; `close()` with the handle.
 */
export function sqliteWriteSource(file: string): WriteSource & { close(): void } {
  let conn: Database.Database | null = null;
  let ask: Database.Statement<[], number> | null = null;
  return {
    stamp() {
      if (!ask) {
        conn = new Database(file, { fileMustExist: true });
        ask = conn.prepare<[], number>("PRAGMA data_version").pluck();
      }
      return String(ask.get());
    },
    close() {
      conn?.close();
      conn = ask = null;
    },
  };
}

/** The LISTEN connection of one database. */
export class WriteListener {
  private client: pg.Client | null = null;
  private stopped = false;
  private attempt = 0;
  private retry: NodeJS.Timeout | null = null;
  private ping: NodeJS.Timeout | null = null;
  private readonly state: Listening;
  /** Resolves at the first LISTEN that worked (tests wait for it; the server does not). */
  readonly ready: Promise<void>;
  private resolveReady!: () => void;

  constructor(private readonly url: string) {
    this.state = listeningOn(url);
    this.ready = new Promise((r) => (this.resolveReady = r));
  }

  get listening(): boolean {
    return this.state.listening && this.state.listener === this;
  }

  start(): void {
    this.state.listener = this;
    void this.connect();
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const c = new pg.Client({
      connectionString: this.url,
      keepAlive: true,
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      query_timeout: QUERY_TIMEOUT_MS,
      application_name: `dmboard-writes ${process.pid}`,
    });
    // pg's errors carry their client (and its settings): log the message alone.
    c.on("error", (err) => log.warn({ error: err.message }, "write notices: LISTEN connection failed"));
    c.on("end", () => this.lost(c));
    c.on("notification", (n) => {
      if (n.channel !== WRITES_CHANNEL) return;
      const t = n.payload ?? "";
      if (t) this.state.tables.set(t, (this.state.tables.get(t) ?? 0) + 1);
      else this.state.epoch++;
    });
    try {
      await c.connect();
      await c.query(`LISTEN ${WRITES_CHANNEL}`);
    } catch (err) {
      log.warn({ error: (err as Error).message }, "write notices: could not listen (kept reads are recomputed meanwhile)");
      await c.end().catch(() => undefined);
      this.again();
      return;
    }
    if (this.stopped) {
      await c.end().catch(() => undefined);
      return;
    }
    this.client = c;
    this.attempt = 0;
    // Listening from here on; anything kept before may have missed a write meanwhile.
    this.state.epoch++;
    this.state.listening = true;
    this.ping = setInterval(
      () =>
        void c.query("SELECT 1").catch(() => {
          this.lost(c); // at once: ending a half-open socket can take long
          void c.end().catch(() => undefined);
        }),
      PING_MS,
    );
    this.ping.unref();
    this.resolveReady();
  }

  /** The connection ended (server gone, killed, ping failed): keep nothing until listening again. */
  private lost(c: pg.Client): void {
    if (this.client !== c) return;
    this.client = null;
    this.state.listening = false;
    if (this.ping) clearInterval(this.ping);
    this.ping = null;
    if (!this.stopped) {
      log.warn("write notices: LISTEN connection lost, reconnecting (kept reads are recomputed meanwhile)");
      this.again();
    }
  }

  private again(): void {
    if (this.stopped) return;
    const wait = BACKOFF_MS[Math.min(this.attempt++, BACKOFF_MS.length - 1)];
    this.retry = setTimeout(() => void this.connect(), wait);
    this.retry.unref();
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.retry) clearTimeout(this.retry);
    if (this.ping) clearInterval(this.ping);
    if (this.state.listener === this) {
      this.state.listener = null;
      this.state.listening = false;
    }
    const c = this.client;
    this.client = null;
    if (c) await Promise.race([c.end().catch(() => undefined), new Promise((r) => setTimeout(r, 2000).unref())]);
  }
}

/**
 * Listen on `url` in this process (once; later calls return the running listener). The
 * server calls it from instrumentation.ts; stopped on SIGTERM/SIGINT with the rest.
 */
export function listenForWrites(url: string): WriteListener {
  const l = listeningOn(url);
  if (l.listener) return l.listener;
  const w = new WriteListener(url);
  w.start();
  return w;
}

/** Called once from instrumentation.ts: on PostgreSQL, listen on the configured database until SIGTERM. */
export function startWriteNotices(url: string): void {
  const w = listenForWrites(url);
  log.info("write notices: listening for other instances' writes (kept reads)");
  const stop = () => void w.stop();
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
}

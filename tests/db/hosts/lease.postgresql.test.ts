/**
 * Several server instances on one PostgreSQL database: host leases (acquire, renew, expire,
 * take over, release, a race) and the shared live state (one instance reads a simulated
 * host, another sees its analysis through LISTEN/NOTIFY, and takes the host over when the
 * first dies). PostgreSQL only (SQLite is the single-instance embedded default):
 * DMBOARD_TEST_PROVIDER=postgresql npx vitest run --project db tests/db/hosts/lease.postgresql.test.ts
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSimHost, type SimHost } from "@/lib/devmodel/sim";
import { Collector } from "@/lib/hosts/collector";
import { LeaseStore } from "@/lib/hosts/lease";
import { SharedLive } from "@/lib/hosts/shared";
import type { HostConfig, LiveUpdate } from "@/lib/hosts/types";
import { setupTestDb, testProvider, type TestDb } from "../harness";

let t: TestDb;
let pool: pg.Pool;

beforeAll(async () => {
  // PostgreSQL's own behaviour (leases, NOTIFY): vitest.config.ts runs this file only in that pass.
  expect(testProvider(), "run with DMBOARD_TEST_PROVIDER=postgresql").toBe("postgresql");
  t = await setupTestDb();
  pool = new pg.Pool({ connectionString: t.config.url, max: 8 });
});
afterAll(async () => {
  await pool?.end();
  await t?.cleanup();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(f: () => T | Promise<T>, ok: (v: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await f();
    if (ok(v)) return v;
    if (Date.now() > end) throw new Error(`condition not met within ${timeoutMs} ms (last: ${JSON.stringify(v)})`);
    await sleep(50);
  }
}

describe("host leases", () => {
  it("one holder per host: renewal keeps it, expiry lets another take it, release hands it over at once", async () => {
    const a = new LeaseStore(pool, "instance-a", 600);
    const b = new LeaseStore(pool, "instance-b", 600);
    const hosts = ["h1", "h2", "h3"];
    expect([...(await a.acquire(hosts))].sort()).toEqual(hosts);
    expect((await b.acquire(hosts)).size).toBe(0);
    // Renewed in time: still A's, B still gets nothing.
    await sleep(300);
    expect((await a.acquire(hosts)).size).toBe(3);
    await sleep(400);
    expect((await b.acquire(hosts)).size).toBe(0);
    // A stops renewing (it died): after the TTL, B takes every host; A, back, gets none.
    await sleep(700);
    expect([...(await b.acquire(hosts))].sort()).toEqual(hosts);
    expect((await a.acquire(hosts)).size).toBe(0);
    expect(await b.holders()).toEqual(new Map(hosts.map((h) => [h, "instance-b"])));
    // A clean stop releases: A takes them on its next try, no TTL to wait for.
    expect(await b.release()).toBe(3);
    expect((await a.acquire(["h1"])).size).toBe(1);
    await a.release();
  });

  it("instances racing for the same free hosts: each host ends up with exactly one holder", async () => {
    const hosts = Array.from({ length: 20 }, (_, i) => `race-${i}`);
    const stores = Array.from({ length: 6 }, (_, i) => new LeaseStore(pool, `racer-${i}`, 10_000));
    const won = await Promise.all(stores.map((s) => s.acquire(hosts)));
    const total = won.reduce((n, s) => n + s.size, 0);
    expect(total).toBe(hosts.length);
    for (const h of hosts) expect(won.filter((s) => s.has(h))).toHaveLength(1);
    const holders = await stores[0].holders();
    for (const [i, s] of won.entries()) for (const h of s) expect(holders.get(h)).toBe(`racer-${i}`);
    await Promise.all(stores.map((s) => s.release()));
  });
});

describe("shared live state", () => {
  let sim: SimHost;
  let dir: string;
  let host: HostConfig;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "dmb-lease-"));
    sim = await startSimHost({
      vms: 4,
      seed: 7,
      socket: path.join(dir, "xs.sock"),
      writerSocket: path.join(dir, "xs-writer.sock"),
      qmpDir: path.join(dir, "qmp"),
      procDir: path.join(dir, "proc"),
    });
    host = {
      id: "sim-host-1",
      name: "lab-1",
      kind: "local",
      xenstoredPath: sim.socket,
      qmpDir: sim.qmpDir,
      procRoot: sim.procDir,
      pollIntervalSec: 30,
      enabled: true,
    };
  });
  afterAll(async () => {
    await sim?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const instance = (owner: string, collect = true) =>
    new SharedLive({ url: t.config.url, collector: new Collector({ debounceMs: 50 }), owner, heartbeatMs: 200, ttlMs: 600, collect });

  it("one instance reads, the other shows the same analysis; a change reaches both; the survivor takes over after a crash", async () => {
    const a = instance("live-a");
    await a.start();
    a.setHosts([host]);
    await until(
      () => a.collecting.has(host.id),
      (v) => v,
    );
    // A read-only instance (DMBOARD_COLLECTOR=off) starts before B: it never takes the host.
    const viewer = instance("viewer", false);
    await viewer.start();
    viewer.setHosts([host]);
    const b = instance("live-b");
    await b.start();
    b.setHosts([host]);
    const seenByB: LiveUpdate[] = [];
    b.subscribe((u) => seenByB.push(u));
    try {
      const ok = await until(
        () => b.state(host.id),
        (s) => s?.status === "ok" && s.analysis !== null,
      );
      expect(b.collecting.has(host.id)).toBe(false);
      expect(ok!.collectedBy).toBe("live-a");
      expect(ok!.analysis!.summary.vmCount).toBe(a.state(host.id)!.analysis!.summary.vmCount);
      const guest = ok!.analysis!.vms.find((v) => v.role === "guest")!;
      // A change on the host (through the writers' socket): read by A, seen by B through NOTIFY.
      const before = seenByB.length;
      await sim.step({ kind: "vm-stop", domid: guest.domid });
      await until(
        () => b.state(host.id)!.analysis!.vms.some((v) => v.domid === guest.domid),
        (present) => !present,
      );
      expect(seenByB.length).toBeGreaterThan(before);
      expect(seenByB.at(-1)!.hostId).toBe(host.id);
      const readsByA = a.state(host.id)!.reads;

      // A dies without a word (no release): B takes the host after the lease expires, and reads it.
      await a.stop({ release: false });
      const taken = await until(
        () => b.state(host.id),
        (s) => s?.collectedBy === "live-b" && s.status === "ok",
      );
      expect(b.collecting.has(host.id)).toBe(true);
      expect(taken!.reads).toBeGreaterThan(readsByA);
      // B counts from the row, which also holds A's last reads that changed nothing (no NOTIFY).
      const row = await pool.query<{ reads: number }>(`SELECT "reads" FROM "HostLiveState" WHERE "hostId" = $1`, [host.id]);
      expect(b.state(host.id)!.reads).toBe(row.rows[0].reads);
      expect(taken!.analysis!.vms.some((v) => v.domid === guest.domid)).toBe(false);
      expect(viewer.collecting.size).toBe(0);
      // The viewer hears of the takeover through NOTIFY, a moment after B itself.
      await until(
        () => viewer.state(host.id)!.collectedBy,
        (by) => by === "live-b",
      );
    } finally {
      await a.stop();
      await b.stop();
      await viewer.stop();
    }
  });

  it("an instance that loses the database stops reading before its lease can expire, and takes the host back after", async () => {
    const dbName = new URL(t.config.url).pathname.slice(1);
    const adminUrl = new URL(t.config.url);
    adminUrl.pathname = "/postgres";
    const admin = new pg.Client({ connectionString: adminUrl.toString() });
    await admin.connect();
    const cut = async (off: boolean) => {
      await admin.query(`ALTER DATABASE ${dbName} ALLOW_CONNECTIONS ${off ? "false" : "true"}`);
      // Only the instance's own connections (the test's stay up): as if its network went.
      if (off)
        await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND application_name = 'dmboard-live lonely'`, [dbName]);
    };
    const lonely = instance("lonely");
    try {
      await lonely.start();
      lonely.setHosts([host]);
      await until(
        () => lonely.collecting.has(host.id),
        (v) => v,
      );
      await cut(true);
      const lostAt = Date.now();
      await until(
        () => lonely.collecting.size,
        (n) => n === 0,
      );
      // Before the lease (600 ms) could have passed to anyone, give or take the query timeouts.
      expect(Date.now() - lostAt).toBeLessThan(10_000);
      await cut(false);
      await until(
        () => lonely.collecting.has(host.id),
        (v) => v,
      );
      // And it reads again: a change shows.
      const before = lonely.state(host.id)!.version;
      await sim.step({ kind: "vm-stop" });
      await until(
        () => lonely.state(host.id)!.version,
        (v) => v > before,
      );
    } finally {
      await cut(false);
      await admin.end();
      await lonely.stop();
    }
  });
});

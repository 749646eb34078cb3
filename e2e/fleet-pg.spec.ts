import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test, type Browser, type BrowserContext, type Page } from "@playwright/test";
import pg from "pg";
import { E2E_PORT } from "../playwright.config";
import { CLUSTER_PASSWORD, createPgDatabase, readsByHost, startInstance, startLab, xenstore, type Instance, type Lab } from "./fixtures/cluster";

/**
 * Two server instances on one fresh PostgreSQL database (issue 9 §3), sharing a simulator lab
 * of three hosts: every host is read by exactly one instance (counted in each instance's
 * /metrics), a real `xenstore-write` shows up in browsers connected to either instance, and
 * when the collecting instance is killed the other takes its hosts over (bound:
 * LEASE_TAKEOVER_MS = 15 s), the VM page on the survivor staying live. Timings are logged;
 * `npm run bench -- --only fleet` measures them.
 */
test.describe.configure({ mode: "serial" });
test.setTimeout(180_000);

let work: string;
let db: Awaited<ReturnType<typeof createPgDatabase>>;
let lab: Lab;
let inst: Instance[] = [];
const ctx: BrowserContext[] = [];

type ApiHost = { id: string; name: string; status: string; collectedBy: string | null; lastAttemptAt: string | null };
async function hosts(i: Instance, c: BrowserContext): Promise<ApiHost[]> {
  const res = await c.request.get(`${i.url}/api/v1/hosts?pageSize=100`);
  expect(res.status()).toBe(200);
  return ((await res.json()) as { data: ApiHost[] }).data;
}

async function session(browser: Browser, i: Instance): Promise<BrowserContext> {
  const c = await browser.newContext({ baseURL: i.url });
  const res = await c.request.post(`${i.url}/api/auth/sign-in/email`, {
    data: { email: "admin@dmboard.local", password: CLUSTER_PASSWORD },
    headers: { origin: i.url },
  });
  expect(res.ok()).toBe(true);
  return c;
}

const waitLive = (page: Page) => expect(page.locator("[data-live-state]")).toHaveAttribute("data-live-state", "live", { timeout: 30_000 });

test.beforeAll(async ({ browser }) => {
  test.setTimeout(300_000);
  // Made here, not at load: Playwright loads a spec file in more than one process.
  work = fs.mkdtempSync(path.join(os.tmpdir(), "dmb-fleet-pg-"));
  db = await createPgDatabase();
  lab = await startLab({ dir: work, hosts: 3, vms: 6 });
  // One after the other: the first applies the migrations and creates the demo accounts.
  inst.push(await startInstance({ port: E2E_PORT + 1, databaseUrl: db.url, dir: work }));
  inst.push(await startInstance({ port: E2E_PORT + 2, databaseUrl: db.url, dir: work }));
  for (const i of inst) ctx.push(await session(browser, i));
});

test.afterAll(async () => {
  for (const c of ctx) await c.close();
  for (const i of inst) await i.stop();
  await lab?.stop();
  // No reader of either instance wrote to any simulated host (issue 10).
  const stats = JSON.parse(fs.readFileSync(lab.statsFile, "utf8")) as { readerWrites: number; writerWrites: number };
  expect(stats.readerWrites).toBe(0);
  expect(stats.writerWrites).toBeGreaterThan(0);
  await db?.drop();
  fs.rmSync(work, { recursive: true, force: true });
});

test("a lab registered on one instance is shown by both, each host read by exactly one instance", async () => {
  const page = await ctx[0].newPage();
  await page.goto("/hosts");
  const form = page.getByRole("form", { name: "Register a simulator lab" });
  await form.getByLabel("Lab manifest (hosts.json)").fill(lab.manifest);
  await form.getByLabel("Poll interval (seconds)").fill("5");
  await form.getByRole("button", { name: "Register lab" }).click();
  await expect(form.getByTestId("lab-registered")).toContainText("Registered 3 hosts");
  await page.close();

  // Both instances show every host read, and agree on who reads each.
  for (const [k, i] of inst.entries())
    await expect
      .poll(async () => (await hosts(i, ctx[k])).map((h) => `${h.name}:${h.status}`), { timeout: 60_000 })
      .toEqual(["host-01:ok", "host-02:ok", "host-03:ok"]);
  const seen = await Promise.all(inst.map((i, k) => hosts(i, ctx[k])));
  for (const h of seen[0]) {
    expect(h.collectedBy).not.toBeNull();
    expect(seen[1].find((x) => x.id === h.id)!.collectedBy).toBe(h.collectedBy);
  }
  // Each host's reads are counted by one instance only, now and a few poll intervals later.
  for (let round = 0; round < 2; round++) {
    const reads = await Promise.all(inst.map((i) => readsByHost(i.url)));
    for (const name of ["host-01", "host-02", "host-03"]) {
      const by = reads.map((r) => r.get(name) ?? 0);
      expect(
        by.filter((n) => n > 0),
        `${name} read by ${JSON.stringify(by)}`,
      ).toHaveLength(1);
    }
    if (round === 0) await new Promise((r) => setTimeout(r, 11_000));
  }
});

/** A deprivileged dom0 QEMU without a state key: writing that key adds the dm-state dependency. */
async function pickVm(): Promise<{ hostId: string; hostName: string; domid: number }> {
  const res = await ctx[0].request.get(`${inst[0].url}/api/v1/vms?pageSize=500&verdict=deprivileged&dm=qemu-xen-dom0`);
  const { data } = (await res.json()) as {
    data: { host: { id: string; name: string }; domid: number; qmp: { status: string }; dependencies: { ruleId: string }[] }[];
  };
  const vm = data.find((v) => !v.dependencies.some((d) => d.ruleId === "dm-state") && v.qmp.status === "ok");
  expect(vm, "a deprivileged dom0 QEMU without a state key").toBeDefined();
  return { hostId: vm!.host.id, hostName: vm!.host.name, domid: vm!.domid };
}

test("a real xenstore-write shows up in browsers on both instances", async () => {
  const vm = await pickVm();
  const pages = await Promise.all(ctx.map((c) => c.newPage()));
  for (const p of pages) {
    await p.goto(`/vms/${vm.hostId}/${vm.domid}`);
    await waitLive(p);
    await expect(p.locator('[data-dependency="dm-state"]')).toHaveCount(0);
  }
  const key = `/local/domain/0/device-model/${vm.domid}/state`;
  const t0 = Date.now();
  await xenstore(lab.writer(vm.hostName), "xenstore-write", key, "running");
  try {
    await Promise.all(
      pages.map(async (p, k) => {
        await expect(p.locator('[data-dependency="dm-state"]')).toBeVisible({ timeout: 30_000 });
        console.log(`change-to-browser latency on instance ${k + 1}: ${Date.now() - t0} ms`);
      }),
    );
  } finally {
    await xenstore(lab.writer(vm.hostName), "xenstore-rm", key);
  }
  for (const p of pages) await expect(p.locator('[data-dependency="dm-state"]')).toHaveCount(0, { timeout: 30_000 });
  for (const p of pages) await p.close();
});

/** The dashboard's "Open action items" on one instance, at a new view. */
async function openItemsShown(i: Instance, c: BrowserContext): Promise<number> {
  const page = await c.newPage();
  try {
    await page.goto(`${i.url}/`);
    return Number(
      await page
        .locator("p", { hasText: /^Open action items$/ })
        .locator("xpath=following-sibling::p[1]")
        .textContent(),
    );
  } finally {
    await page.close();
  }
}

test("an item closed by another program shows on both instances' dashboards at the next view", async () => {
  // Viewed once on each: the count is kept there until a write (lib/db/kept.ts).
  const before = await Promise.all(inst.map((i, k) => openItemsShown(i, ctx[k])));
  expect(before[0]).toBeGreaterThan(0);
  expect(before[1]).toBe(before[0]);
  const sql = new pg.Client({ connectionString: db.url });
  await sql.connect();
  try {
    // Each instance listens for the others' writes on its own connection (lib/db/write-notices.ts).
    const listening = await sql.query(`SELECT 1 FROM pg_stat_activity WHERE "application_name" LIKE 'dmboard-writes %' AND "datname" = current_database()`);
    expect(listening.rowCount).toBe(inst.length);
    const { rows } = await sql.query<{ id: string }>(`SELECT "id" FROM "ActionItem" WHERE "status" IN ('open', 'in_progress', 'blocked') LIMIT 1`);
    await sql.query(`UPDATE "ActionItem" SET "status" = 'done', "closedAt" = now() WHERE "id" = $1`, [rows[0].id]);
    // Bound far below the kept answers' safety-net age (5 min): the write's NOTIFY invalidates them.
    for (const [k, i] of inst.entries()) await expect.poll(() => openItemsShown(i, ctx[k]), { timeout: 10_000 }).toBe(before[0] - 1);
    await sql.query(`UPDATE "ActionItem" SET "status" = 'open', "closedAt" = NULL WHERE "id" = $1`, [rows[0].id]);
    for (const [k, i] of inst.entries()) await expect.poll(() => openItemsShown(i, ctx[k]), { timeout: 10_000 }).toBe(before[0]);
  } finally {
    await sql.end();
  }
});

test("the collecting instance is killed: the other takes its hosts over, the VM page on it staying live", async () => {
  const vm = await pickVm();
  const reads = await Promise.all(inst.map((i) => readsByHost(i.url)));
  const k = reads.findIndex((r) => (r.get(vm.hostName) ?? 0) > 0);
  expect(k).toBeGreaterThanOrEqual(0);
  const dead = inst[k];
  const survivor = inst[1 - k];
  const sc = ctx[1 - k];
  const before = (await hosts(survivor, sc)).find((h) => h.id === vm.hostId)!;
  const page = await sc.newPage();
  await page.goto(`/vms/${vm.hostId}/${vm.domid}`);
  await waitLive(page);

  const t0 = Date.now();
  await dead.crash();
  // The survivor reads the host itself (its own read counter), and says so.
  await expect.poll(async () => (await readsByHost(survivor.url)).get(vm.hostName) ?? 0, { timeout: 60_000, intervals: [250] }).toBeGreaterThan(0);
  console.log(`takeover after a crash: ${Date.now() - t0} ms (bound: LEASE_TAKEOVER_MS = 15000 ms, plus the first read)`);
  await expect
    .poll(async () => (await hosts(survivor, sc)).map((h) => `${h.name}:${h.status}:${h.collectedBy === before.collectedBy ? "dead" : "alive"}`), {
      timeout: 60_000,
    })
    .toEqual(["host-01:ok:alive", "host-02:ok:alive", "host-03:ok:alive"]);

  // The page on the survivor never lost its stream, and still follows the host.
  await expect(page.locator("[data-live-state]")).toHaveAttribute("data-live-state", "live");
  const key = `/local/domain/0/device-model/${vm.domid}/state`;
  await xenstore(lab.writer(vm.hostName), "xenstore-write", key, "running");
  try {
    await expect(page.locator('[data-dependency="dm-state"]')).toBeVisible({ timeout: 30_000 });
  } finally {
    await xenstore(lab.writer(vm.hostName), "xenstore-rm", key);
  }
  await expect(page.locator('[data-dependency="dm-state"]')).toHaveCount(0, { timeout: 30_000 });
  await page.close();
  inst = inst.filter((i) => i !== dead);
  await ctx.splice(k, 1)[0]?.close();
});

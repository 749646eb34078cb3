import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test, type APIRequestContext } from "@playwright/test";
import { stateFor } from "./global-setup";

/**
 * Many hosts on one board (issue 9 §2): two simulator labs (2 hosts and 1 host, real sockets)
 * registered from their hosts.json through the admin form; the VMs table, the dashboard and
 * the API aggregate them with per-host filters; the one-host lab is stopped: its host is
 * shown unreachable with its last good read marked stale, and the others are not hidden.
 */
const root = path.resolve(import.meta.dirname, "..");
let work = "";
const labs: Record<"a" | "b", { dir: string; proc: ChildProcess | null; hosts: number; vms: number; seed: number }> = {
  a: { dir: "", proc: null, hosts: 2, vms: 6, seed: 21 },
  b: { dir: "", proc: null, hosts: 1, vms: 5, seed: 31 },
};

function startLab(l: (typeof labs)["a"]): ChildProcess {
  return spawn(
    process.execPath,
    [
      "--import",
      "tsx",
      "scripts/sim.ts",
      "--hosts",
      String(l.hosts),
      "--vms",
      String(l.vms),
      "--seed",
      String(l.seed),
      "--dir",
      l.dir,
      "--stats-file",
      path.join(work, `${path.basename(l.dir)}-stats.json`),
    ],
    { cwd: root, stdio: "ignore" },
  );
}

async function exited(p: ChildProcess | null): Promise<void> {
  if (!p || p.exitCode !== null || p.signalCode !== null) return;
  await new Promise<void>((r) => p.once("exit", () => r()));
}

type ApiHost = { id: string; name: string; status: string; lastGoodAt: string | null; summary: { vmCount: number } | null };
async function hosts(request: APIRequestContext): Promise<ApiHost[]> {
  const res = await request.get("/api/v1/hosts?pageSize=100");
  expect(res.status()).toBe(200);
  return ((await res.json()) as { data: ApiHost[] }).data.filter((h) => h.name.startsWith("fl"));
}

test.describe.configure({ mode: "serial" });
test.use({ storageState: stateFor("admin") });

test.beforeAll(async () => {
  // Made here, not at load: Playwright loads a spec file in more than one process.
  work = fs.mkdtempSync(path.join(os.tmpdir(), "dmb-fleet-e2e-"));
  labs.a.dir = path.join(work, "lab-a");
  labs.b.dir = path.join(work, "lab-b");
  for (const l of Object.values(labs)) l.proc = startLab(l);
  await expect.poll(() => Object.values(labs).every((l) => fs.existsSync(path.join(l.dir, "hosts.json"))), { timeout: 60_000 }).toBe(true);
});

test.afterAll(async () => {
  for (const l of Object.values(labs)) {
    l.proc?.kill("SIGTERM");
    await exited(l.proc);
  }
  // No reader wrote to any simulated host of the labs (issue 10).
  for (const l of Object.values(labs)) {
    const stats = JSON.parse(fs.readFileSync(path.join(work, `${path.basename(l.dir)}-stats.json`), "utf8")) as { readerWrites: number; hosts: unknown[] };
    expect(stats.hosts).toHaveLength(l.hosts);
    expect(stats.readerWrites).toBe(0);
  }
  fs.rmSync(work, { recursive: true, force: true });
});

test("an admin registers two labs from their hosts.json; the board aggregates every host, with per-host filters", async ({ page, request }) => {
  await page.goto("/hosts");
  const form = page.getByRole("form", { name: "Register a simulator lab" });
  // A path that is not a lab is refused, in the field.
  await form.getByLabel("Lab manifest (hosts.json)").fill(path.join(work, "nothing.json"));
  await form.getByRole("button", { name: "Register lab" }).click();
  await expect(form.getByRole("alert")).toContainText("does not exist");
  for (const [key, prefix] of [
    ["a", "fla-"],
    ["b", "flb-"],
  ] as const) {
    await form.getByLabel("Lab manifest (hosts.json)").fill(path.join(labs[key].dir, "hosts.json"));
    await form.getByLabel("Name prefix").fill(prefix);
    await form.getByLabel("Poll interval (seconds)").fill("3");
    await form.getByRole("button", { name: "Register lab" }).click();
    await expect(form.getByTestId("lab-registered")).toContainText(`Registered ${labs[key].hosts} host`);
  }
  // Registering the same lab again creates nothing.
  await form.getByLabel("Lab manifest (hosts.json)").fill(path.join(labs.a.dir, "hosts.json"));
  await form.getByLabel("Name prefix").fill("fla-");
  await form.getByRole("button", { name: "Register lab" }).click();
  await expect(form.getByTestId("lab-registered")).toContainText("Registered 0 hosts (2 already registered)");

  await expect
    .poll(async () => (await hosts(request)).map((h) => `${h.name}:${h.status}`).sort(), { timeout: 30_000 })
    .toEqual(["fla-host-01:ok", "fla-host-02:ok", "flb-host-01:ok"]);
  const all = await hosts(request);
  const b = all.find((h) => h.name === "flb-host-01")!;

  // API: one host's VMs only, every one of them on that host.
  const res = await request.get(`/api/v1/vms?pageSize=500&host=${b.id}&role=all`);
  const onB = (await res.json()) as { data: { host: { name: string; status: string } }[]; total: number };
  expect(onB.total).toBeGreaterThan(0);
  expect(new Set(onB.data.map((v) => v.host.name))).toEqual(new Set(["flb-host-01"]));

  // The VMs table: the host filter shows that host's guests alone.
  await page.goto("/vms");
  await page
    .getByRole("search", { name: "Filter VMs" })
    .getByLabel("Host")
    .selectOption({ label: `flb-host-01 (${b.summary!.vmCount})` });
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL(new RegExp(`host=${b.id}`));
  const rows = page.locator("table[aria-label=Fleet] tbody tr");
  await expect(rows.first()).toBeVisible();
  expect(await rows.count()).toBe(labs.b.vms);
  await expect(page.locator('table[aria-label=Fleet] tbody tr:not([data-host="flb-host-01"])')).toHaveCount(0);
  // Unfiltered: every lab host is in the table.
  await page.goto("/vms?pageSize=500");
  for (const h of ["fla-host-01", "fla-host-02", "flb-host-01"]) await expect(page.locator(`tr[data-host="${h}"]`).first()).toBeVisible();

  // The dashboard: every host's status, and the figures of one host when asked.
  await page.goto("/");
  const strip = page.getByRole("list", { name: "Hosts" });
  for (const h of ["fla-host-01", "fla-host-02", "flb-host-01"]) await expect(strip.getByText(h, { exact: true })).toBeVisible();
  await page.getByLabel("Show host").selectOption({ label: "flb-host-01" });
  await page.getByRole("button", { name: "Show", exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`host=${b.id}`));
  await expect(page.getByRole("link", { name: String(b.summary!.vmCount), exact: true })).toBeVisible();
  await expect(strip.getByText("fla-host-01", { exact: true })).toBeVisible();
});

test("a host that goes down keeps its last good read, marked stale, and hides no other host", async ({ page, request }) => {
  const before = (await hosts(request)).find((h) => h.name === "flb-host-01")!;
  expect(before.lastGoodAt).not.toBeNull();
  labs.b.proc!.kill("SIGTERM");
  await exited(labs.b.proc);

  await expect
    .poll(async () => (await hosts(request)).map((h) => `${h.name}:${h.status}`).sort(), { timeout: 30_000 })
    .toEqual(["fla-host-01:ok", "fla-host-02:ok", "flb-host-01:unreachable"]);
  const down = (await hosts(request)).find((h) => h.name === "flb-host-01")!;
  // The last good read is kept (its time and its VMs), not replaced by nothing.
  expect(down.lastGoodAt).not.toBeNull();
  expect(down.summary?.vmCount).toBe(before.summary?.vmCount);

  await page.goto("/vms?pageSize=500");
  const stale = page.locator('tr[data-host="flb-host-01"]');
  expect(await stale.count()).toBe(labs.b.vms);
  await expect(stale.first().locator("[data-stale]")).toHaveAttribute("data-stale", "unreachable");
  await expect(stale.first().locator("[data-stale]")).toContainText(/stale, as of \d+ (s|min) ago/);
  for (const h of ["fla-host-01", "fla-host-02"]) {
    await expect(page.locator(`tr[data-host="${h}"]`).first()).toBeVisible();
    await expect(page.locator(`tr[data-host="${h}"] [data-stale]`)).toHaveCount(0);
  }
  await page.goto("/");
  const strip = page.getByRole("list", { name: "Hosts" });
  await expect(strip.locator("li", { hasText: "flb-host-01" }).locator("[data-host-status]")).toHaveAttribute("data-host-status", "unreachable");
  await expect(strip.locator("li", { hasText: "flb-host-01" })).toContainText(/last good read: .+ ago/);
  await expect(strip.locator("li", { hasText: "fla-host-01" }).locator("[data-host-status]")).toHaveAttribute("data-host-status", "ok");
});

test("the lab hosts are removed again (the other specs see the embedded host alone)", async ({ page, request }) => {
  page.on("dialog", (d) => void d.accept());
  for (const h of await hosts(request)) {
    await page.goto(`/hosts/${h.id}/edit`);
    await page.getByRole("button", { name: `Remove ${h.name}` }).click();
    await expect(page).toHaveURL(/\/hosts$/);
  }
  expect(await hosts(request)).toEqual([]);
});

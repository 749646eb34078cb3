/**
 * The fleet read model over the collector's state (no sockets: the snapshot function is
 * injected): filters, sort, pagination, facets, host status on the rows, stale hosts.
 */
import { afterEach, describe, expect, it } from "vitest";
import { syntheticDomain, syntheticHost } from "@/lib/devmodel/analysis";
import type { HostSnapshot } from "@/lib/devmodel/types";
import { Collector } from "@/lib/hosts/collector";
import { fleetOverview, listVms, parseVmQuery } from "@/lib/hosts/fleet";
import { statusAt } from "@/lib/hosts/runner";
import type { HostConfig } from "@/lib/hosts/types";

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const f of cleanup.splice(0)) await f();
});

const host = (id: string, name = id): HostConfig => ({
  id,
  name,
  kind: "local",
  xenstoredPath: `/x/${id}`,
  qmpDir: "/x",
  procRoot: "/x",
  pollIntervalSec: 3600,
  enabled: true,
});

function fleetA(): HostSnapshot {
  const snap = syntheticHost(120);
  snap.domains = [{ ...syntheticDomain(0), name: "Domain-0", dmDomid: null, keys: {} }, ...snap.domains];
  for (const d of snap.domains) {
    if (d.domid === 0) continue;
    d.name = d.domid % 3 === 0 ? `web-${d.domid}` : `db-${d.domid}`;
    // Every other VM lost its physmap keys.
    if (d.domid % 2 === 0) for (const k of Object.keys(d.keys)) if (k.includes("/physmap")) delete d.keys[k];
  }
  return snap;
}

async function collectorWith(snaps: Record<string, () => HostSnapshot>) {
  const c = new Collector({ watch: false, snapshot: async (h) => snaps[h.id]() });
  cleanup.push(() => c.stop());
  c.setHosts(Object.keys(snaps).map((id) => host(id, `host-${id}`)));
  await c.ready(5000);
  return c;
}

const dead = (): HostSnapshot => ({
  takenAt: new Date().toISOString(),
  elapsedMs: 1,
  source: { xenstored: "/x", qmpDir: "/x", procRoot: "/x" },
  xenstore: { ok: false, error: { kind: "unreachable", message: "ENOENT" } },
  domains: [],
});

describe("listVms", () => {
  it("lists guests across hosts with filters, sort, pagination and facets", async () => {
    const c = await collectorWith({ a: fleetA, b: dead });
    const states = c.states();
    expect(states.map((s) => [s.host.name, s.status])).toEqual([
      ["host-a", "ok"],
      ["host-b", "unreachable"],
    ]);
    const all = listVms(states, {});
    expect(all.total).toBe(120); // dom0 is not a VM
    expect(all.rows).toHaveLength(50);
    expect(all.pageCount).toBe(3);
    expect(listVms(states, { role: "all" }).total).toBe(121);
    expect(listVms(states, { page: 3 }).rows).toHaveLength(20);
    expect(listVms(states, { page: 99 }).page).toBe(3);

    const physmap = listVms(states, { dep: "physmap", pageSize: 500 });
    expect(physmap.total).toBe(60);
    expect(physmap.rows.every((r) => r.domid % 2 === 1 && r.dependencies.includes("physmap"))).toBe(true);
    expect(all.facets.dependencies.find((d) => d.ruleId === "physmap")?.count).toBe(60);
    expect(listVms(states, { topic: "physmap-keys" }).total).toBe(60);
    expect(listVms(states, { dep: "none" }).total).toBe(0); // every synthetic VM has dm-state

    expect(listVms(states, { q: "WEB" }).total).toBe(40);
    const seven = listVms(states, { q: "7", pageSize: 500 }).rows;
    expect(seven.map((r) => r.domid)).toContain(7);
    expect(seven.every((r) => r.name!.includes("7"))).toBe(true);
    expect(seven).toHaveLength(21); // 7, 17 … 67, 87, 97 (9), 70–79 (10), 107, 117
    expect(listVms(states, { q: "db-119" }).rows.map((r) => r.domid)).toEqual([119]);
    expect(listVms(states, { host: "host-b" }).total).toBe(0);
    expect(listVms(states, { host: states[0].host.id }).total).toBe(120);

    const byDeps = listVms(states, { sort: "dependencies", dir: "desc", pageSize: 500 }).rows;
    expect(byDeps[0].dependencyCount).toBeGreaterThan(byDeps.at(-1)!.dependencyCount);
    const byName = listVms(states, { sort: "name", pageSize: 500 }).rows.map((r) => r.name!);
    expect(byName).toEqual([...byName].sort((x, y) => x.localeCompare(y)));
  });

  it("parses query strings leniently: a bad value is dropped, not an error", () => {
    // A key given twice where one value is expected is dropped too: every page parses its query one way (lib/api/query).
    expect(parseVmQuery({ verdict: "nonsense", page: "2", sort: "domid", dir: "sideways", q: ["web", "db"], pageSize: "100000" })).toEqual({
      page: 2,
      sort: "domid",
    });
    expect(parseVmQuery(new URLSearchParams("q=web&dm=none&verdict="))).toEqual({ q: "web", dm: "none" });
  });

  it("keeps the last good analysis of a host that became unreachable, marked as such", async () => {
    let up = true;
    const c = await collectorWith({ a: () => (up ? fleetA() : dead()) });
    const good = c.state("a")!.lastGoodAt;
    up = false;
    await c.refresh("a");
    const s = c.state("a")!;
    expect(s.status).toBe("unreachable");
    expect(s.lastGoodAt).toBe(good);
    expect(s.error).toBe("XenStore unreachable: ENOENT");
    const page = listVms(c.states(), {});
    expect(page.total).toBe(120);
    expect(page.rows.every((r) => r.hostStatus === "unreachable")).toBe(true);
    expect(fleetOverview(c.states()).hosts[0]).toMatchObject({ status: "unreachable", lastGoodAt: good });
  });
});

describe("fleetOverview", () => {
  it("sums blockers and topic use across hosts", async () => {
    const c = await collectorWith({ a: fleetA, b: fleetA });
    const o = fleetOverview(c.states());
    expect(o.vmCount).toBe(240);
    expect(o.blockers.find((b) => b.ruleId === "physmap")!.vmCount).toBe(120);
    expect(o.blockers.find((b) => b.ruleId === "physmap")!.vms.filter((v) => v.hostName === "host-b")).toHaveLength(60);
    expect(o.topicUse["physmap-keys"]).toBe(120);
    for (let i = 1; i < o.blockers.length; i++) expect(o.blockers[i - 1].vmCount).toBeGreaterThanOrEqual(o.blockers[i].vmCount);
  });
});

describe("statusAt", () => {
  it("is stale when the last good read is older than three poll intervals (at least 30 s)", () => {
    const h = host("s");
    const at = (msAgo: number) => new Date(Date.now() - msAgo).toISOString();
    expect(statusAt({ host: h, lastAttemptAt: null, lastGoodAt: null, error: null })).toBe("pending");
    expect(statusAt({ host: { ...h, pollIntervalSec: 10 }, lastAttemptAt: at(31_000), lastGoodAt: at(31_000), error: null })).toBe("stale");
    expect(statusAt({ host: { ...h, pollIntervalSec: 10 }, lastAttemptAt: at(20_000), lastGoodAt: at(20_000), error: null })).toBe("ok");
    expect(statusAt({ host: h, lastAttemptAt: at(1000), lastGoodAt: at(60_000), error: "x" })).toBe("unreachable");
  });
});

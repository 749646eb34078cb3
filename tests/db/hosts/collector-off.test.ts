/**
 * DMBOARD_COLLECTOR=off holds even where no other instance reads (SQLite, or DMBOARD_LIVE=memory):
 * instrumentation.ts does not start the collector then, but the first page view asks for the
 * live view, which creates the service; it must still read no host.
 * DMBOARD_TEST_PROVIDER=sqlite|postgresql npx vitest run --project db tests/db/hosts/collector-off
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedReferenceData } from "@/lib/db/seed";
import { createHost } from "@/lib/hosts/hosts";
import { hostInputSchema } from "@/lib/hosts/schemas";
import { collectorReady, getCollector, stopCollector } from "@/lib/hosts/service";
import { setupTestDb, useAsProcessDb, type TestDb } from "../harness";

let t: TestDb;
let undo: () => Promise<void>;
let hostId: string;
const saved = { collector: process.env.DMBOARD_COLLECTOR, live: process.env.DMBOARD_LIVE, sim: process.env.DMBOARD_SIM };

beforeAll(async () => {
  t = await setupTestDb();
  undo = await useAsProcessDb(t);
  // The in-memory live state on either provider (on PostgreSQL, `off` was already held by the lease code).
  process.env.DMBOARD_LIVE = "memory";
  process.env.DMBOARD_SIM = "off"; // no embedded simulated host: the one host below is all there is
  await seedReferenceData(t.db);
  const input = hostInputSchema.parse({
    name: "dom0-off",
    kind: "local",
    xenstoredPath: "/nonexistent/xenstored/socket",
    qmpDir: "/nonexistent/xen",
    procRoot: "/nonexistent/proc",
    pollIntervalSec: "30",
    enabled: "on",
  });
  hostId = (await createHost({ userId: null, label: "test@dmboard.local" }, input, t.db)).id;
});
afterAll(async () => {
  await stopCollector();
  for (const [k, v] of [
    ["DMBOARD_COLLECTOR", saved.collector],
    ["DMBOARD_LIVE", saved.live],
    ["DMBOARD_SIM", saved.sim],
  ] as const)
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  await undo?.();
  await t?.cleanup();
});

describe("the collector service", () => {
  it("with DMBOARD_COLLECTOR=off, a page's first ask for the live view reads no host", async () => {
    process.env.DMBOARD_COLLECTOR = "off";
    const view = await collectorReady(500);
    expect(getCollector().runner(hostId)).toBeUndefined();
    expect(view.states().map((s) => s.host.id)).toEqual([]);
    await stopCollector();
  });

  it("without it, the same ask reads the enabled host (the check above can fail)", async () => {
    delete process.env.DMBOARD_COLLECTOR;
    const view = await collectorReady(500);
    expect(getCollector().runner(hostId)).toBeDefined();
    expect(view.states().map((s) => s.host.id)).toEqual([hostId]);
    await stopCollector();
  });
});

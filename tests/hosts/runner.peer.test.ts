/**
 * A host whose XenStore watch is lost must not look watched (issue 10, item 12): when xenstored
 * refuses to take a watch back after a reconnect, the host's state says so until the retried
 * registration succeeds.
 */
import fs from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { analyzeHost, DEFAULT_XS_RULES } from "@/lib/devmodel/analysis";
import { startSimHost } from "@/lib/devmodel/sim/host";
import { takeSnapshot } from "@/lib/devmodel/snapshot";
import { XS, XenStoreError } from "@/lib/devmodel/xenstore";
import { domainOfWatchPath, HostRunner } from "@/lib/hosts/runner";
import type { HostConfig } from "@/lib/hosts/types";
import { simPaths, simTmpDir } from "../devmodel/sim/tmp";

const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

async function until(pred: () => boolean, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("HostRunner watch status", () => {
  it("shows a watch xenstored refused after a reconnect, and clears it once the retry succeeds", async () => {
    const dir = simTmpDir("runner");
    cleanup.push(() => fs.rmSync(dir, { recursive: true, force: true }));
    const h = await startSimHost({ vms: 4, seed: 2, ...simPaths(dir) });
    cleanup.push(() => h.stop());
    let refuse = false;
    const hooked = h.server as unknown as { dispatch: (c: unknown, f: { type: number }) => Buffer };
    const orig = hooked.dispatch.bind(h.server);
    hooked.dispatch = (c, f) => {
      if (refuse && f.type === XS.WATCH) throw new XenStoreError("ENOSPC", "WATCH");
      return orig(c, f);
    };

    const host: HostConfig = {
      id: "h",
      name: "h",
      kind: "sim",
      xenstoredPath: h.socket,
      qmpDir: h.qmpDir,
      procRoot: h.procDir,
      pollIntervalSec: 3600,
      enabled: true,
    };
    const runner = new HostRunner(host, {
      snapshot: (x) => takeSnapshot({ xenstored: x.xenstoredPath, qmpDir: x.qmpDir, procRoot: x.procRoot, qmpTimeoutMs: 300 }),
      analyze: (s) => analyzeHost(s, DEFAULT_XS_RULES),
      onRead: () => undefined,
    });
    cleanup.push(() => runner.stop());
    runner.start();
    await until(() => runner.state.watching, 10_000, "watches");
    expect(runner.state.watchError).toBeNull();

    refuse = true;
    h.server.dropConnections();
    await until(() => runner.state.watchError !== null, 10_000, "the lost watch to show");
    expect(runner.state.watching).toBe(false);
    expect(runner.state.watchError).toMatch(/could not be registered again after a reconnect \(retrying\): .*ENOSPC/);

    refuse = false;
    await until(() => runner.state.watching, 10_000, "the watch to be back");
    expect(runner.state.watchError).toBeNull();
    // And it works: a change is seen without waiting for the (hour-long) poll.
    const before = runner.watchEvents;
    h.server.store.write("/local/domain/0/data/poke", "1");
    await until(() => runner.watchEvents > before, 5_000, "a watch event");
  });
});

describe("watch-driven re-reads", () => {
  it("names the guest a watch event is about, or null for a full read", () => {
    expect(domainOfWatchPath("/local/domain/7/data/x")).toBe(7);
    expect(domainOfWatchPath("/local/domain/0/device-model/7/state")).toBe(7);
    expect(domainOfWatchPath("/local/domain/0/backend/qdisk/7/51712/state")).toBe(7);
    expect(domainOfWatchPath("/local/domain/12/device-model/7/state")).toBe(7); // a stub domain's
    expect(domainOfWatchPath("/local/domain/7")).toBeNull(); // created or destroyed
    expect(domainOfWatchPath("/local/domain/0/data/poke")).toBeNull(); // dom0's own
    expect(domainOfWatchPath("/local/domain")).toBeNull(); // the watch's first firing
    expect(domainOfWatchPath("@releaseDomain")).toBeNull();
  });

  it("a change in one guest re-reads that guest alone, merged into the last read: as a full read sees it, no hung QEMU waited for", async () => {
    const dir = simTmpDir("partial");
    cleanup.push(() => fs.rmSync(dir, { recursive: true, force: true }));
    const h = await startSimHost({ vms: 20, seed: 11, ...simPaths(dir) });
    cleanup.push(() => h.stop());
    const host: HostConfig = {
      id: "h",
      name: "h",
      kind: "sim",
      xenstoredPath: h.socket,
      qmpDir: h.qmpDir,
      procRoot: h.procDir,
      pollIntervalSec: 3600,
      enabled: true,
    };
    const snap = (domids?: readonly number[]) => takeSnapshot({ xenstored: h.socket, qmpDir: h.qmpDir, procRoot: h.procDir, qmpTimeoutMs: 2000, domids });
    const calls: Array<readonly number[] | undefined> = [];
    const runner = new HostRunner(host, {
      snapshot: (_x, domids) => {
        calls.push(domids);
        return snap(domids);
      },
      analyze: (s) => analyzeHost(s, DEFAULT_XS_RULES),
      onRead: () => undefined,
    });
    cleanup.push(() => runner.stop());
    runner.start();
    await until(() => runner.state.watching && runner.state.reads > 0, 20_000, "watches and a first read");
    // The watches' first firing makes one more full read: wait for the runner to be idle.
    await until(() => calls.length >= 2 && runner.state.reads === calls.length, 20_000, "the reads the first firing caused");

    const hung = h.fleet.guests.find((g) => g.qmp?.mode === "hang")!;
    const g = h.fleet.guests.find((x) => x.qmp?.mode === "normal")!;
    expect(runner.state.snapshot!.domains.find((d) => d.domid === hung.domid)!.qmp.status).toBe("timeout");
    const reads = runner.state.reads;
    h.server.store.write(`/local/domain/${g.domid}/data/partial-test`, "changed");
    await until(
      () => runner.state.reads > reads && runner.state.snapshot!.domains.some((d) => d.keys[`/local/domain/${g.domid}/data/partial-test`]),
      20_000,
      "the re-read",
    );
    expect(calls.at(-1)).toEqual([g.domid]);
    const merged = runner.state.snapshot!;
    // The hung QEMU's verdict is the last full read's: it was not asked again.
    expect(merged.domains.find((d) => d.domid === hung.domid)!.qmp.status).toBe("timeout");
    const full = await snap();
    expect(merged.domains.map((d) => d.domid)).toEqual(full.domains.map((d) => d.domid));
    for (const d of full.domains) {
      const m = merged.domains.find((x) => x.domid === d.domid)!;
      expect(m.keys, `domain ${d.domid}`).toEqual(d.keys);
      expect(m.process?.pid ?? null).toBe(d.process?.pid ?? null);
      expect(m.qmp.status).toBe(d.qmp.status);
    }
  });
});

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
import { HostRunner } from "@/lib/hosts/runner";
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

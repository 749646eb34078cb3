/**
 * The collector's one hook for the metrics: every finished read is told to `onRead` with
 * its host, outcome and duration — a real simulated host for "ok", a socket nobody
 * listens on for "error".
 */
import fs from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { startSimHost } from "@/lib/devmodel/sim/host";
import { Collector } from "@/lib/hosts/collector";
import type { HostConfig } from "@/lib/hosts/types";
import { simPaths, simTmpDir } from "../devmodel/sim/tmp";

const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

const cfg = (name: string, p: { socket: string; qmpDir: string; procDir: string }): HostConfig => ({
  id: name,
  name,
  kind: "sim",
  xenstoredPath: p.socket,
  qmpDir: p.qmpDir,
  procRoot: p.procDir,
  pollIntervalSec: 3600,
  enabled: true,
});

describe("collector read observer", () => {
  it("reports each read's host, outcome and duration, and a throwing observer breaks nothing", async () => {
    const dir = simTmpDir("observe");
    cleanup.push(() => fs.rmSync(dir, { recursive: true, force: true }));
    const live = simPaths(dir);
    const h = await startSimHost({ vms: 4, seed: 3, ...live });
    cleanup.push(() => h.stop());
    const seen: { host: string; outcome: string; durationMs: number }[] = [];
    const c = new Collector({
      timeoutMs: 1500,
      watch: false,
      onRead: (r) => {
        seen.push(r);
        throw new Error("observer bug");
      },
    });
    cleanup.push(() => c.stop());
    c.setHosts([cfg("alive", live), cfg("gone", { ...live, socket: path.join(dir, "nobody.sock") })]);
    const t0 = Date.now();
    while (seen.length < 2 && Date.now() - t0 < 15_000) await new Promise((r) => setTimeout(r, 20));
    expect(seen.map((r) => `${r.host}:${r.outcome}`).sort()).toEqual(["alive:ok", "gone:error"]);
    for (const r of seen) expect(r.durationMs).toBeGreaterThanOrEqual(0);
    expect(c.state("alive")?.status).toBe("ok");
  });
});

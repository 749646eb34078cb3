/**
 * The collector with an SSH host (through a real sshd, tests/helpers/sshd.ts) beside a local one:
 * reads and XenStore watches ride the SSH connection, and stay read-only (no write-type XenStore
 * request reaches the host, a QMP command off the allowlist is refused before it is sent); when
 * sshd dies the SSH host turns unreachable while the other keeps being read, and it comes back
 * when sshd does.
 */
import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { QmpClient, QmpRefusedError } from "@/lib/devmodel/qmp";
import { startSimHost, type SimHost } from "@/lib/devmodel/sim/host";
import { MAIN_LABEL, WRITER_LABEL } from "@/lib/devmodel/sim/xenstored";
import { sshSocketTransport } from "@/lib/devmodel/ssh";
import { HostAccessPool } from "@/lib/hosts/access";
import { Collector } from "@/lib/hosts/collector";
import type { HostConfig } from "@/lib/hosts/types";
import { startSshd, type TestSshd } from "../helpers/sshd";
import { simPaths, simTmpDir } from "../devmodel/sim/tmp";

const run = promisify(execFile);
let sshd: TestSshd;
let dirA: string;
let dirB: string;
let a: SimHost;
let b: SimHost;
let writerA: string;

async function until(pred: () => boolean, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

beforeAll(async () => {
  dirA = simTmpDir("sshcolA");
  dirB = simTmpDir("sshcolB");
  writerA = path.join(dirA, "writer.sock");
  [sshd, a, b] = await Promise.all([
    startSshd(),
    startSimHost({ vms: 8, seed: 31, ...simPaths(dirA), writerSocket: writerA }),
    startSimHost({ vms: 5, seed: 32, ...simPaths(dirB) }),
  ]);
}, 60_000);
afterAll(async () => {
  await Promise.allSettled([a?.stop(), b?.stop()]);
  await sshd?.stop();
  fs.rmSync(dirA, { recursive: true, force: true });
  fs.rmSync(dirB, { recursive: true, force: true });
});

describe("the collector with an SSH host", () => {
  it("reads over SSH read-only, survives sshd dying without touching the other host, and reconnects", async () => {
    const remote: HostConfig = {
      id: "remote",
      name: "remote",
      kind: "ssh",
      xenstoredPath: a.socket,
      qmpDir: a.qmpDir,
      procRoot: a.procDir,
      pollIntervalSec: 2,
      enabled: true,
      sshTarget: sshd.target,
      sshIdentityPath: sshd.clientKey,
      sshHostKey: sshd.hostKeyFingerprint,
    };
    const local: HostConfig = {
      id: "local",
      name: "local",
      kind: "sim",
      xenstoredPath: b.socket,
      qmpDir: b.qmpDir,
      procRoot: b.procDir,
      pollIntervalSec: 2,
      enabled: true,
    };
    const access = new HostAccessPool({ reconnectInitialMs: 100, reconnectMaxMs: 500, keepaliveIntervalMs: 1000, keepaliveCountMax: 2 });
    const c = new Collector({ access, qmpTimeoutMs: 1500, timeoutMs: 3000, debounceMs: 50, sink: { record: () => undefined } });
    try {
      c.setHosts([remote, local]);
      await until(
        () => c.state("remote")?.analysis != null && c.state("remote")!.watching && c.state("local")?.analysis != null,
        30_000,
        "first reads and watches",
      );
      expect(c.state("remote")!.status).toBe("ok");
      expect(c.state("remote")!.analysis!.summary.vmCount).toBe(a.fleet.guests.filter((g) => g.kind !== "stubdom").length);
      expect(c.state("remote")!.snapshot!.source.xenstored).toBe(`${sshd.target}:${a.socket}`);
      expect(access.connected("remote")).toBe(true);

      // A real xenstore-write on the host reaches the collector through the SSH watch.
      const before = c.runner("remote")!.watchEvents;
      const guest = a.fleet.guests[0].domid;
      await run("xenstore-write", [`/local/domain/${guest}/data/over-ssh`, "1"], { env: { ...process.env, XENSTORED_PATH: writerA } });
      await until(() => c.runner("remote")!.watchEvents > before, 15_000, "the watch event over SSH");
      await until(
        () => c.state("remote")!.snapshot!.domains.find((d) => d.domid === guest)?.keys[`/local/domain/${guest}/data/over-ssh`] === "1",
        15_000,
        "the re-read",
      );

      // Read-only over SSH: nothing the readers sent was a write; QMP refuses off-list commands before sending.
      const stats = a.server.stats();
      expect(stats.byLabel[MAIN_LABEL].requests).toBeGreaterThan(50);
      expect(stats.byLabel[MAIN_LABEL].writes).toBe(0);
      expect(stats.byLabel[WRITER_LABEL].writes).toBe(1);
      const qmpGuest = a.fleet.guests.find((g) => g.qmp?.mode === "normal")!;
      const sock = path.join(a.qmpDir, `qmp-libxenstat-${qmpGuest.domid}`);
      const qmp = await QmpClient.connect(sshSocketTransport(access.connection(remote), sock), { timeoutMs: 3000 });
      try {
        expect(await qmp.execute("query-name")).toEqual({ name: qmpGuest.name });
        await expect(qmp.execute("quit" as never)).rejects.toBeInstanceOf(QmpRefusedError);
        expect(await qmp.execute("query-status")).toMatchObject({ status: expect.any(String) });
      } finally {
        await qmp.close();
      }

      // sshd dies: the SSH host is unreachable, the local one is read on.
      await sshd.kill();
      await until(() => c.state("remote")!.status === "unreachable", 30_000, "the SSH host to be marked unreachable");
      expect(c.state("remote")!.error).toMatch(/ssh|unreachable|ECONNREFUSED|connect/i);
      const localReads = c.state("local")!.reads;
      await c.refresh("local");
      expect(c.state("local")!.reads).toBeGreaterThan(localReads);
      expect(c.state("local")!.status).toBe("ok");
      // The last good read is kept while unreachable.
      expect(c.state("remote")!.analysis).not.toBeNull();

      // sshd comes back: the next poll reconnects.
      await sshd.start();
      await until(() => c.state("remote")!.status === "ok", 30_000, "the SSH host to be read again");
      await until(() => c.state("remote")!.watching, 30_000, "the watches over the new connection");
      expect(access.connected("remote")).toBe(true);
    } finally {
      await c.stop();
    }
    expect(access.connected("remote")).toBeNull();
  }, 120_000);
});

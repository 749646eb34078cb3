/**
 * dmboard's readers are read-only on the wire: the snapshot (`takeSnapshot`) and the collector's
 * HostRunner, watching a host that changes under it, send no write-type request to xenstored.
 * The changes come from the simulator itself and from Debian's xenstore-write on the writer
 * socket, so every request on the main socket is the readers' own.
 */
import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { startSimHost } from "@/lib/devmodel/sim";
import { MAIN_LABEL, WRITER_LABEL } from "@/lib/devmodel/sim/xenstored";
import { takeSnapshot } from "@/lib/devmodel/snapshot";
import { Collector } from "@/lib/hosts/collector";
import { simPaths, simTmpDir } from "./tmp";

const run = promisify(execFile);
const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

async function until(pred: () => boolean, ms: number, what: string): Promise<void> {
  const t0 = Date.now();
  while (!pred()) {
    if (Date.now() - t0 > ms) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe("readers against the simulated host", () => {
  it("takeSnapshot and a watching HostRunner send no write-type request", async () => {
    const dir = simTmpDir("ro");
    cleanup.push(() => fs.rmSync(dir, { recursive: true, force: true }));
    const p = simPaths(dir);
    const writerSocket = path.join(dir, "writer.sock");
    const h = await startSimHost({ vms: 20, seed: 6, ...p, writerSocket });
    cleanup.push(() => h.stop());

    const snap = await takeSnapshot({ xenstored: p.socket, qmpDir: p.qmpDir, procRoot: p.procDir, qmpTimeoutMs: 300 });
    expect(snap.xenstore.ok).toBe(true);
    expect(snap.domains.length).toBe(h.fleet.guests.length + 1);

    const c = new Collector({ qmpTimeoutMs: 300, timeoutMs: 2000, debounceMs: 50, sink: { record: () => undefined } });
    cleanup.push(() => c.stop());
    c.setHosts([{ id: "ro", name: "ro", kind: "sim", xenstoredPath: p.socket, qmpDir: p.qmpDir, procRoot: p.procDir, pollIntervalSec: 3600, enabled: true }]);
    await until(() => c.state("ro")?.analysis != null && c.state("ro")!.watching, 10_000, "first read and watches");

    // Changes of every kind the runner reacts to: VMs starting and stopping (@introduceDomain,
    // @releaseDomain), a QEMU restarted, and a real client writing and removing keys.
    const readsBefore = c.state("ro")!.reads;
    await h.step({ kind: "vm-start", recipe: { kind: "hvm-root" } });
    await h.step({ kind: "vm-stop", domid: h.fleet.guests.find((g) => g.kind === "pv")!.domid });
    await h.step({ kind: "depriv-restart" });
    const guest = h.fleet.guests[0].domid;
    const env = { ...process.env, XENSTORED_PATH: writerSocket };
    await run("xenstore-write", [`/local/domain/${guest}/data/test-note`, "written on purpose"], { env });
    await run("xenstore-rm", [`/local/domain/${guest}/data/test-note`], { env });
    await until(() => c.runner("ro")!.watchEvents > 0 && c.state("ro")!.reads > readsBefore, 10_000, "re-reads after the changes");
    await until(() => !c.runner("ro")!["inFlight"], 10_000, "the last read to finish");
    await c.stop();

    const s = h.server.stats();
    const readers = s.byLabel[MAIN_LABEL];
    expect(readers.connections).toBeGreaterThanOrEqual(2); // the snapshot's and the runner's (reads + watches)
    expect(readers.requests).toBeGreaterThan(500);
    const writing = s.perConnection.filter((conn) => conn.label === MAIN_LABEL && conn.writes > 0);
    expect(writing, "connections on the readers' socket that sent a write-type request").toEqual([]);
    expect(readers.writes).toBe(0);
    // The deliberate writes were counted, where they belong.
    expect(s.byLabel[WRITER_LABEL].writes).toBe(2);
  });
});

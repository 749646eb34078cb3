/**
 * Benchmark: the snapshot's own tree walker (TreeWalk in lib/devmodel/snapshot-xenstore.ts, the
 * one production runs) vs the C tool `xenstore-ls -f` (Debian xenstore-utils) on the same
 * subtrees of the same simulated xenstored socket, in one run, alternating.
 * Target: ours within 2x of the C tool. Self-contained: makes its own tree and temp socket.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { XenStoreServer, XsStore } from "@/lib/devmodel/sim/xenstored";
import { walkSubtree } from "@/lib/devmodel/snapshot-xenstore";
import { XenStoreClient } from "@/lib/devmodel/xenstore";

export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  note?: string;
}

/**
 * A plausible xl/libxl host: dom0 plus `vms` HVM guests with qemu-xen in dom0, each with a disk,
 * a NIC, a console and the device-model keys (~55 nodes per guest).
 */
export function populateHost(store: XsStore, vms: number): void {
  store.write("/local/domain/0/name", "Domain-0");
  store.write("/local/domain/0/domid", "0");
  store.write("/tool/xenstored", "");
  for (let d = 1; d <= vms; d++) {
    const dom = `/local/domain/${d}`;
    const uuid = `00000000-0000-4000-8000-${d.toString(16).padStart(12, "0")}`;
    const guestPerms = ["n0", `r${d}`];
    const kv: Array<[string, string]> = [
      ["name", `vm-${d}`],
      ["domid", String(d)],
      ["vm", `/vm/${uuid}`],
      ["memory/static-max", "2097152"],
      ["memory/target", "2097152"],
      ["memory/videoram", "8192"],
      ["cpu/0/availability", "online"],
      ["cpu/1/availability", "online"],
      ["control/shutdown", ""],
      ["control/feature-poweroff", "1"],
      ["control/feature-reboot", "1"],
      ["control/feature-suspend", "1"],
      ["control/platform-feature-multiprocessor-suspend", "1"],
      ["control/platform-feature-xs_reset_watches", "1"],
      ["image/device-model-pid", String(10000 + d)],
      ["hvmloader/allow-memory-relocate", "0"],
      ["device/vbd/51712/backend", `/local/domain/0/backend/vbd/${d}/51712`],
      ["device/vbd/51712/backend-id", "0"],
      ["device/vbd/51712/state", "4"],
      ["device/vbd/51712/virtual-device", "51712"],
      ["device/vbd/51712/device-type", "disk"],
      ["device/vif/0/backend", `/local/domain/0/backend/vif/${d}/0`],
      ["device/vif/0/backend-id", "0"],
      ["device/vif/0/state", "4"],
      ["device/vif/0/mac", `00:16:3e:${hex2(d >> 16)}:${hex2(d >> 8)}:${hex2(d)}`],
      ["console/ring-ref", String(1000 + d)],
      ["console/port", "2"],
      ["console/type", "ioemu"],
      ["console/tty", `/dev/pts/${d}`],
      ["data/updated", "Mon Jan  1 00:00:00 UTC 2024"],
    ];
    for (const [k, v] of kv) store.write(`${dom}/${k}`, v, guestPerms);
    const dm = `/local/domain/0/device-model/${d}`;
    store.write(`${dm}/state`, "running");
    for (const b of ["console", "vkbd", "qdisk", "9pfs", "qusb"]) store.mkdir(`${dm}/backends/${b}`);
    const be = `/local/domain/0/backend/vbd/${d}/51712`;
    for (const [k, v] of [
      ["frontend", `${dom}/device/vbd/51712`],
      ["params", `/var/lib/xen/images/vm-${d}.qcow2`],
      ["type", "qdisk"],
      ["mode", "w"],
      ["state", "4"],
    ])
      store.write(`${be}/${k}`, v);
    store.write(`/libxl/${d}/dm-version`, "qemu_xen");
    store.write(`/libxl/${d}/type`, "hvm");
    store.write(`/vm/${uuid}/name`, `vm-${d}`);
    store.write(`/vm/${uuid}/uuid`, uuid);
    store.write(`/vm/${uuid}/start_time`, "1700000000.00");
  }
}

function hex2(n: number): string {
  return (n & 0xff).toString(16).padStart(2, "0");
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Run `xenstore-ls -f ROOT` against `socketPath`; resolves with the number of lines printed. */
function runXenstoreLs(socketPath: string, root: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn("xenstore-ls", ["-f", root], {
      env: { ...process.env, XENSTORED_PATH: socketPath },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let lines = 0;
    let err = "";
    child.stdout.on("data", (b: Buffer) => {
      for (let i = b.indexOf(10); i >= 0; i = b.indexOf(10, i + 1)) lines++;
    });
    child.stderr.on("data", (b: Buffer) => (err += b.toString()));
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolve(lines) : reject(new Error(`xenstore-ls exit ${code}: ${err}`))));
  });
}

export async function benchXenStore(opts: { vms: number; runs?: number }): Promise<BenchResult[]> {
  const runs = Math.max(1, opts.runs ?? 3);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "xsbench-"));
  const sock = path.join(dir, "socket");
  const server = new XenStoreServer();
  let client: XenStoreClient | null = null;
  try {
    const t0 = performance.now();
    populateHost(server.store, opts.vms);
    const populateMs = performance.now() - t0;
    await server.listen(sock);
    client = await XenStoreClient.connect({ path: sock, timeoutMs: 30_000 });

    // The subtrees a snapshot walks, as whole trees, and the whole store.
    const roots = ["/local/domain", "/libxl", "/local/domain/0/backend", "/"];
    const rows: BenchResult[] = [
      { name: "xenstore.populate", value: round(populateMs), unit: "ms", note: `${server.store.size} nodes, ${opts.vms} guests, in-process` },
    ];
    for (const root of roots) {
      const ours: number[] = [];
      const oursTx: number[] = [];
      const theirs: number[] = [];
      let nodes = 0;
      let lsLines = 0;
      for (let i = 0; i < runs; i++) {
        let t = performance.now();
        nodes = (await walkSubtree(client, root)).size;
        ours.push(performance.now() - t);
        t = performance.now();
        await walkSubtree(client, root, { transaction: true });
        oursTx.push(performance.now() - t);
        t = performance.now();
        lsLines = await runXenstoreLs(sock, root);
        theirs.push(performance.now() - t);
      }
      // xenstore-ls does not print root itself.
      if (nodes - 1 !== lsLines) throw new Error(`walker read ${nodes - 1} nodes below ${root}, xenstore-ls printed ${lsLines}`);
      const oursMs = median(ours);
      const theirsMs = median(theirs);
      const tag = root === "/" ? "all" : root.replace(/^\//, "").replace(/\//g, ".");
      rows.push(
        { name: `xenstore.walk.${tag}`, value: round(oursMs), unit: "ms", note: `snapshot walker, ${root}: ${nodes} nodes, median of ${runs}` },
        { name: `xenstore.walk.${tag}.tx`, value: round(median(oursTx)), unit: "ms", note: `same, in one validated transaction` },
        {
          name: `xenstore.ls.${tag}`,
          value: round(theirsMs),
          unit: "ms",
          note: `xenstore-ls -f ${root} (${lsLines} lines, process start included), median of ${runs}`,
        },
        { name: `xenstore.ratio.${tag}`, value: round(oursMs / theirsMs, 3), unit: "x", note: "walker / xenstore-ls (target <= 2)" },
      );
    }
    return rows;
  } finally {
    await client?.close();
    await server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function round(x: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/**
 * A simulated Xen host: one xenstored-compatible server populated from a fleet, one QMP
 * server per dom0 QEMU (`qmp-libxenstat-<domid>` in qmpDir), and a fake /proc. The
 * snapshot, the CLIs and the real xenstore-utils talk to it exactly as to a dom0.
 *
 * Over time (`step()` or a timer) it changes the way a host does: VMs start and stop,
 * a QEMU loses its physmap keys, a QEMU is restarted deprivileged, a guest is paused.
 */
import fs from "node:fs";
import path from "node:path";
import type { XsPerms } from "@/lib/devmodel/types";
import { parsePerms } from "@/lib/devmodel/xenstore/perms";
import { QmpServer } from "@/lib/devmodel/sim/qmp";
import { WRITER_LABEL, XenStoreServer } from "@/lib/devmodel/sim/xenstored";
import { FakeProc } from "./fakeproc";
import { FleetBuilder, type GuestRecipe } from "./fleet/builder";
import { perms as sharedPerms, subtreeRoots } from "./fleet/nodes";
import { Prng } from "./fleet/prng";
import { qmpProfileFor } from "./fleet/qmp-profile";
import type { FleetProfileName } from "./fleet/profiles";
import type { FleetSpec, GuestSpec, XsNodeSpec } from "./fleet/types";

export type SimChangeKind = "vm-start" | "vm-stop" | "physmap-lost" | "depriv-restart" | "pause" | "resume";

export interface SimChangeEvent {
  at: string;
  kind: SimChangeKind;
  domid: number;
  name: string;
  detail: string;
}

export interface SimHostOptions {
  vms: number;
  seed: number;
  /** xenstored socket path: the one readers use. */
  socket: string;
  /**
   * A second xenstored socket on the same store, for whoever writes on purpose (a test's
   * `xenstore-write`): its requests are counted under WRITER_LABEL, so the main socket's
   * write count (`server.stats().byLabel.main.writes`) is what readers sent.
   */
  writerSocket?: string;
  /** Directory for `qmp-libxenstat-<domid>` sockets (created if missing). */
  qmpDir: string;
  /** Directory for the fake /proc (created; must be empty or an earlier fake /proc). */
  procDir: string;
  /** What kind of dom0 (fleet/profiles.ts); default "mixed". */
  profile?: FleetProfileName;
  /** > 0: change something every this many ms. */
  changeIntervalMs?: number;
  /**
   * When the first change comes (ms; default changeIntervalMs), then one every changeIntervalMs:
   * the hosts of a lab get different phases so their changes do not all come at once.
   */
  changeOffsetMs?: number;
  onChange?: (ev: SimChangeEvent) => void;
  /**
   * Keep every guest's node list in `fleet` after it was written to the store (default
   * true: tests compare snapshots with it). The CLI passes false: the store has them,
   * and for 1000 VMs the list is ~15 MB of heap.
   */
  retainNodes?: boolean;
}

export interface StepRequest {
  kind?: SimChangeKind;
  /** Which guest (for stop/physmap-lost/depriv-restart/pause/resume); random when unset. */
  domid?: number;
  /** For vm-start: what to start. */
  recipe?: GuestRecipe;
}

export interface SimHost {
  /** Live: `guests` follows the changes. */
  readonly fleet: FleetSpec;
  readonly server: XenStoreServer;
  readonly socket: string;
  readonly writerSocket: string | null;
  readonly qmpDir: string;
  readonly procDir: string;
  readonly proc: FakeProc;
  /** The QMP server of a guest, for tests that speak to it without its socket (in-process transports). */
  qmpServer(domid: number): QmpServer | undefined;
  guest(domid: number): GuestSpec | undefined;
  qmpSocketPath(domid: number): string;
  /** One change; null when nothing fitting could be changed. Changes are serialised. */
  step(req?: StepRequest): Promise<SimChangeEvent | null>;
  stop(): Promise<void>;
}

/** sockaddr_un.sun_path is 108 bytes including the NUL. */
const MAX_SOCKET_PATH = 107;

export function qmpSocketName(domid: number): string {
  return `qmp-libxenstat-${domid}`;
}

export async function startSimHost(opts: SimHostOptions): Promise<SimHost> {
  const host = new SimHostImpl(opts);
  await host.start();
  return host;
}

/** XsPerms parsed once per shared perms array (the fleet shares them). */
const parsedPerms = new WeakMap<readonly string[], XsPerms>();
function xsPerms(p: readonly string[]): XsPerms {
  let x = parsedPerms.get(p);
  if (!x) {
    x = parsePerms(p);
    parsedPerms.set(p, x);
  }
  return x;
}

class SimHostImpl implements SimHost {
  fleet!: FleetSpec;
  readonly server = new XenStoreServer();
  readonly socket: string;
  readonly writerSocket: string | null;
  readonly qmpDir: string;
  readonly procDir: string;
  proc!: FakeProc;
  private readonly builder: FleetBuilder;
  private readonly rng: Prng;
  private readonly qmp = new Map<number, QmpServer>();
  private readonly byDomid = new Map<number, GuestSpec>();
  /** Per guest, the XenStore subtrees to remove when it stops. */
  private readonly roots = new Map<number, string[]>();
  private timer: NodeJS.Timeout | null = null;
  private chain: Promise<unknown> = Promise.resolve();
  private stopped = false;
  private createdQmpDir = false;

  constructor(private readonly opts: SimHostOptions) {
    this.socket = path.resolve(opts.socket);
    this.writerSocket = opts.writerSocket ? path.resolve(opts.writerSocket) : null;
    this.qmpDir = path.resolve(opts.qmpDir);
    this.procDir = path.resolve(opts.procDir);
    this.builder = new FleetBuilder(opts.seed, opts.profile);
    // Changes draw from their own stream: the fleet stays the same whatever happens later.
    this.rng = new Prng(opts.seed ^ 0x5eed5eed);
  }

  async start(): Promise<void> {
    const longest = path.join(this.qmpDir, qmpSocketName(99999));
    for (const p of [this.socket, this.writerSocket ?? "", longest]) {
      if (Buffer.byteLength(p) > MAX_SOCKET_PATH)
        throw new Error(`socket path too long for a unix socket (${Buffer.byteLength(p)} > ${MAX_SOCKET_PATH} bytes): ${p}`);
    }
    try {
      fs.mkdirSync(path.dirname(this.socket), { recursive: true });
      if (this.writerSocket) fs.mkdirSync(path.dirname(this.writerSocket), { recursive: true });
      if (!fs.existsSync(this.qmpDir)) {
        fs.mkdirSync(this.qmpDir, { recursive: true });
        this.createdQmpDir = true;
      }
      const store = this.server.store;
      // dom0's nodes first (the order xenstored lists children in), then each guest's as it is
      // built: the node specs of one guest at a time, not of the whole fleet, are in memory.
      for (const n of this.builder.hostNodes()) this.writeNode(n);
      this.fleet = this.builder.build(this.opts.vms, (g) => this.addGuestNodes(g));
      for (const g of this.fleet.guests) store.introduceDomain(g.domid);
      this.proc = await FakeProc.create(this.procDir, [...this.fleet.hostProcesses, ...this.fleet.guests.flatMap((g) => (g.process ? [g.process] : []))]);
      await this.server.listen(this.socket);
      if (this.writerSocket) await this.server.listen(this.writerSocket, { label: WRITER_LABEL });
      // Listening in batches: 1000 listen() calls at once are fine, but keep the fd burst modest.
      const withQmp = this.fleet.guests.filter((g) => g.qmp && g.qmp.mode !== "gone");
      for (let i = 0; i < withQmp.length; i += 128) {
        await Promise.all(withQmp.slice(i, i + 128).map((g) => this.startQmp(g)));
      }
    } catch (e) {
      await this.stop();
      throw e;
    }
    const every = this.opts.changeIntervalMs ?? 0;
    if (every > 0) {
      const tick = () => void this.step().catch(() => undefined);
      const first = this.opts.changeOffsetMs ?? every;
      this.timer = setTimeout(() => {
        tick();
        if (this.stopped) return;
        this.timer = setInterval(tick, every);
        this.timer.unref();
      }, first);
      this.timer.unref();
    }
  }

  qmpServer(domid: number): QmpServer | undefined {
    return this.qmp.get(domid);
  }

  guest(domid: number): GuestSpec | undefined {
    return this.byDomid.get(domid);
  }

  qmpSocketPath(domid: number): string {
    return path.join(this.qmpDir, qmpSocketName(domid));
  }

  private addGuestNodes(g: GuestSpec): void {
    for (const n of g.nodes) this.writeNode(n);
    this.byDomid.set(g.domid, g);
    this.roots.set(g.domid, subtreeRoots(g.nodes));
    if (this.opts.retainNodes === false) g.nodes = [];
  }

  private writeNode(n: XsNodeSpec): void {
    this.server.store.write(n.path, n.value, xsPerms(n.perms));
  }

  private async startQmp(g: GuestSpec): Promise<void> {
    if (!g.qmp || g.qmp.mode === "gone") return;
    const srv = new QmpServer({ profile: qmpProfileFor(g, this.qmpDir), mode: g.qmp.mode === "hang" ? "hang" : "normal" });
    await srv.listen({ path: this.qmpSocketPath(g.domid) });
    this.qmp.set(g.domid, srv);
  }

  private async stopQmp(domid: number): Promise<void> {
    const srv = this.qmp.get(domid);
    this.qmp.delete(domid);
    await srv?.close();
  }

  step(req: StepRequest = {}): Promise<SimChangeEvent | null> {
    const run = this.chain.then(() => (this.stopped ? null : this.doStep(req)));
    this.chain = run.catch(() => undefined);
    return run;
  }

  private pickKind(): SimChangeKind {
    const n = this.fleet.guests.length;
    const target = Math.max(1, this.opts.vms);
    // Drift back towards the initial size so a long run stays comparable.
    const start = n < target * 0.8 ? 50 : n > target * 1.2 ? 5 : 25;
    const stop = n > target * 1.2 ? 50 : n < target * 0.8 || n === 0 ? 0 : 22;
    return this.rng.weighted<SimChangeKind>([
      ["vm-start", start],
      ["vm-stop", stop],
      ["physmap-lost", 8],
      ["depriv-restart", 15],
      ["pause", 10],
      ["resume", 10],
    ]);
  }

  private candidates(kind: SimChangeKind): GuestSpec[] {
    const gs = this.fleet.guests;
    switch (kind) {
      case "vm-stop":
        return gs.filter((g) => g.kind !== "stubdom");
      case "physmap-lost":
        return gs.filter((g) => g.traits.physmap);
      case "depriv-restart":
        return gs.filter((g) => (g.kind === "hvm-root" || g.kind === "hvm-partial") && g.qmp?.mode === "normal");
      case "pause":
        return gs.filter((g) => g.qmp?.mode === "normal" && g.qmp.runState === "running");
      case "resume":
        return gs.filter((g) => g.qmp?.mode === "normal" && g.qmp.runState !== "running");
      default:
        return [];
    }
  }

  private async doStep(req: StepRequest): Promise<SimChangeEvent | null> {
    const kind = req.kind ?? this.pickKind();
    let ev: SimChangeEvent | null;
    if (kind === "vm-start") ev = await this.startVm(req.recipe);
    else {
      const cands = this.candidates(kind);
      const g = req.domid !== undefined ? cands.find((c) => c.domid === req.domid) : cands.length ? this.rng.pick(cands) : undefined;
      if (!g) return null;
      ev = await this.change(kind, g);
    }
    if (ev) this.opts.onChange?.(ev);
    return ev;
  }

  private event(kind: SimChangeKind, g: GuestSpec, detail: string): SimChangeEvent {
    return { at: new Date().toISOString(), kind, domid: g.domid, name: g.name, detail };
  }

  private async startVm(recipe?: GuestRecipe): Promise<SimChangeEvent> {
    const r = recipe ?? { kind: this.rng.weighted(this.builder.profile.startKinds) };
    // Xen hands out increasing domids; a stopped domain's id is not reused soon.
    const domid = Math.max(0, ...this.byDomid.keys(), this.lastDomid) + 1;
    const made = this.builder.guest(domid, r);
    this.lastDomid = made[made.length - 1].domid;
    for (const g of made) {
      this.addGuestNodes(g);
      this.fleet.guests.push(g);
      if (g.process) await this.proc.add(g.process);
      await this.startQmp(g);
      this.server.store.introduceDomain(g.domid);
    }
    this.fleet.guests.sort((a, b) => a.domid - b.domid);
    const g = made[0];
    return this.event("vm-start", g, `${g.kind}${made.length > 1 ? ` with stub domain ${made[1].domid}` : ""}`);
  }
  private lastDomid = 0;

  private async removeGuest(g: GuestSpec): Promise<void> {
    await this.stopQmp(g.domid);
    if (g.process) await this.proc.remove(g.process.pid);
    for (const root of this.roots.get(g.domid) ?? []) this.server.store.rm(root);
    this.byDomid.delete(g.domid);
    this.roots.delete(g.domid);
    const i = this.fleet.guests.indexOf(g);
    if (i >= 0) this.fleet.guests.splice(i, 1);
    this.server.store.releaseDomain(g.domid);
  }

  private async change(kind: SimChangeKind, g: GuestSpec): Promise<SimChangeEvent | null> {
    const store = this.server.store;
    switch (kind) {
      case "vm-stop": {
        this.lastDomid = Math.max(this.lastDomid, ...this.byDomid.keys());
        const stub = g.stubdomDomid !== undefined ? this.byDomid.get(g.stubdomDomid) : undefined;
        await this.removeGuest(g);
        if (stub) await this.removeGuest(stub);
        return this.event("vm-stop", g, stub ? `with stub domain ${stub.domid}` : g.kind);
      }
      case "physmap-lost": {
        const dir = `/local/domain/${g.dmDomid}/device-model/${g.domid}/physmap`;
        store.rm(dir);
        g.nodes = g.nodes.filter((n) => n.path !== dir && !n.path.startsWith(`${dir}/`));
        g.traits.physmap = false;
        return this.event("physmap-lost", g, `${dir} removed`);
      }
      case "depriv-restart": {
        const old = g.process;
        const proc = this.builder.deprivProcessFor(g);
        await this.stopQmp(g.domid);
        if (old) await this.proc.remove(old.pid);
        await this.proc.add(proc);
        g.process = proc;
        g.kind = "hvm-depriv";
        delete g.traits.partial;
        g.traits.depriv = "full";
        g.traits.stateKey = false;
        g.traits.pidKey = true;
        const dmDir = `/local/domain/0/device-model/${g.domid}`;
        const ro = sharedPerms("n0", `r${g.domid}`);
        // libxl records the new pid and kill uid; a restricted QEMU no longer writes `state`.
        this.setNode(g, { path: `/local/domain/${g.domid}/image/device-model-pid`, value: String(proc.pid), perms: ro });
        this.setNode(g, { path: `/local/domain/${g.domid}/image/device-model-kill-uid`, value: String(proc.uid[0]), perms: ro });
        store.rm(`${dmDir}/state`);
        g.nodes = g.nodes.filter((n) => n.path !== `${dmDir}/state`);
        if (g.qmp) g.qmp.runState = "running";
        await this.startQmp(g);
        return this.event("depriv-restart", g, `QEMU restarted as uid ${proc.uid[0]}, pid ${old?.pid ?? "?"} → ${proc.pid}`);
      }
      case "pause":
      case "resume": {
        const state = kind === "pause" ? "paused" : "running";
        this.qmp.get(g.domid)?.setRunState(state);
        if (g.qmp) g.qmp.runState = state;
        return this.event(kind, g, `run state ${state}`);
      }
      default:
        return null;
    }
  }

  private setNode(g: GuestSpec, n: XsNodeSpec): void {
    this.writeNode(n);
    if (this.opts.retainNodes === false) return;
    const i = g.nodes.findIndex((x) => x.path === n.path);
    if (i >= 0) g.nodes[i] = n;
    else g.nodes.push(n);
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer); // clears an interval too
    await this.chain.catch(() => undefined);
    await Promise.all([...this.qmp.keys()].map((d) => this.stopQmp(d)));
    await this.server.close();
    await this.proc?.destroy();
    if (this.createdQmpDir) fs.rmSync(this.qmpDir, { recursive: true, force: true });
  }
}

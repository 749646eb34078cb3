/**
 * Builds a realistic simulated Xen host from a seed. Everything about a guest (its
 * XenStore nodes, its QMP conversation, its dom0 process) is derived here, so the sim
 * host only has to serve it and tests can compare what the snapshot read with what
 * the fleet says is there.
 *
 * Key layouts follow xen-devmodel.md §2 (libxl + upstream QEMU), processes §4.3–4.4.
 */
import type { QmpVersion } from "@/lib/devmodel/types";
import { Prng } from "./prng";
import { emitTree, perms, withPerms, type TreeSpec } from "./nodes";
import { FLEET_PROFILES, type FleetProfile, type FleetProfileName } from "./profiles";
import {
  DEFAULT_LIMITS,
  DEPRIV_LIMITS,
  RANGE_BASE_GID,
  RANGE_BASE_UID,
  SHARED_GID,
  SHARED_UID,
  XEN_RUN_DIR,
  XEN_RUN_DIR_RESOLVED,
  hvmCmdline,
  process,
  pvQemuCmdline,
  tradCmdline,
} from "./process";
import type { SecretSpec, FakeProcessSpec, FleetSpec, GuestKind, GuestSpec, GuestTraits, PartialVariant, QmpSpec, XsNodeSpec } from "./types";

/** What to build for one guest; unset fields are drawn from the PRNG. */
export interface GuestRecipe {
  kind: GuestKind;
  partial?: PartialVariant;
  physmap?: boolean;
  clipboard?: boolean;
  unusual?: boolean;
  qmpMode?: QmpSpec["mode"];
  /** "stale": image/device-model-pid names a process that no longer exists. */
  pidKey?: "live" | "stale" | "absent";
  /** QEMU ≥ 9: `-run-with` instead of `-chroot`/`-runas`. */
  runWith?: boolean;
  /** A VNC password set (xl.cfg vncpasswd): where the toolstack leaves it depends on the kind. */
  vncPassword?: boolean;
  /** pv-qemu: a PV framebuffer (xl.cfg vfb=[…]), served by QEMU over VNC. */
  vfb?: boolean;
  /** dom0 qemu-xen HVM: SPICE with a password (xl.cfg spice=1, spicepasswd). */
  spice?: boolean;
}

/** How a guest's console is reached; drawn from a stream of its own (see FleetBuilder.display). */
interface Display {
  vncPassword: string | null;
  vfb: boolean;
  spice: { port: number; password: string } | null;
}

/**
 * The guests every fleet has (as far as `vms` allows), in priority order: each exercises
 * one thing the snapshot or the analysis must handle.
 */
export const SPECIAL_RECIPES: readonly GuestRecipe[] = [
  { kind: "hvm-depriv" },
  { kind: "hvm-root", physmap: true },
  { kind: "hvm-trad", vncPassword: true },
  { kind: "hvm-stubdom", vncPassword: true },
  { kind: "hvm-root", qmpMode: "hang" },
  { kind: "hvm-root", qmpMode: "gone" },
  { kind: "pv-qemu", vfb: true, vncPassword: true },
  { kind: "pv" },
  { kind: "hvm-partial", partial: "shared-user" },
  { kind: "hvm-depriv", runWith: true, unusual: true },
  { kind: "hvm-partial", partial: "no-chroot", spice: true },
  { kind: "hvm-partial", partial: "no-ns-rlimits", physmap: true },
  { kind: "hvm-root", clipboard: true, pidKey: "stale" },
  { kind: "hvm-depriv", clipboard: true, pidKey: "absent" },
  { kind: "pv", unusual: true },
];

const NAME_PREFIXES = ["web", "build", "db", "cache", "mail", "ci", "vpn", "lb", "git", "dns", "mon", "log", "api", "queue", "auth", "files"];

/** query-version as the simulated QEMUs report it. */
const VERSIONS: Record<QmpSpec["commandSet"], QmpVersion> = {
  "qemu-4.2": { major: 4, minor: 2, micro: 1, package: "qemu-xen-4.13.4" },
  "qemu-7.2": { major: 7, minor: 2, micro: 22, package: "Debian 1:7.2+dfsg-7+deb12u18+b3" },
  "qemu-8.2": { major: 8, minor: 2, micro: 2, package: "qemu-xen-4.19.1" },
  "qemu-9.2": { major: 9, minor: 2, micro: 0, package: "qemu-xen-4.20.0" },
};

/** PV backends QEMU registers, by version (xen-devmodel.md §2.1, §2.3). */
const QEMU_BACKENDS: Record<QmpSpec["commandSet"], readonly string[]> = {
  "qemu-4.2": ["console", "vkbd", "qdisk", "9pfs", "qnic"],
  "qemu-7.2": ["console", "vkbd", "9pfs", "qusb"],
  "qemu-8.2": ["vkbd", "9pfs", "qusb"],
  "qemu-9.2": ["vkbd", "9pfs", "qusb"],
};

/** Characters of generated passwords: what `pwgen`/a password manager would give. */
const ALNUM = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
const BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

const HOST_MNT_NS = 4026531841;
const HOST_IPC_NS = 4026531839;

export class FleetBuilder {
  readonly rng: Prng;
  private nextPid: number;
  private nextNs = 4026532290;
  private nextPts = 2;
  private nameCounters = new Map<string, number>();
  readonly hostNs = { mnt: `mnt:[${HOST_MNT_NS}]`, ipc: `ipc:[${HOST_IPC_NS}]` };

  readonly profile: FleetProfile;

  constructor(
    readonly seed: number,
    profile: FleetProfileName = "mixed",
  ) {
    this.profile = FLEET_PROFILES[profile];
    this.rng = new Prng(seed);
    this.nextPid = 1800 + this.rng.int(0, 400);
  }

  /**
   * The whole host with `vms` guests (stub domains come on top, with their own domids).
   * `onGuest` sees each guest as soon as it is built, so a caller can serve its nodes and
   * drop them (`g.nodes = []`) instead of holding every guest's ~90 node specs at once.
   */
  build(vms: number, onGuest?: (g: GuestSpec) => void): FleetSpec {
    const p = this.profile;
    // "mixed" draws nothing here, so its fleets are what they were before profiles existed.
    const specials = p.specials >= 1 ? SPECIAL_RECIPES : SPECIAL_RECIPES.filter(() => this.rng.chance(p.specials));
    const recipes: GuestRecipe[] = specials.slice(0, Math.min(vms, specials.length)).map((r) => ({ ...r }));
    while (recipes.length < vms) recipes.push({ kind: this.rng.weighted(p.kinds) });
    // Specials at random places, as on a real host; a Fisher–Yates with our PRNG.
    for (let i = recipes.length - 1; i > 0; i--) {
      const j = this.rng.int(0, i);
      [recipes[i], recipes[j]] = [recipes[j], recipes[i]];
    }
    const hostProcesses = this.hostProcesses();
    const guests: GuestSpec[] = [];
    let domid = 1;
    for (const r of recipes) {
      const made = this.guest(domid, r);
      for (const g of made) onGuest?.(g);
      guests.push(...made);
      domid += made.length;
    }
    return {
      seed: this.seed,
      profile: p.name,
      vms,
      hostname: `xenhost-${String(this.seed).padStart(2, "0")}`,
      hostNodes: this.hostNodes(),
      hostProcesses,
      guests,
      hostNs: { ...this.hostNs },
    };
  }

  /** A new guest (or guest + stub domain) at `domid`, for a VM started later on. */
  guest(domid: number, recipe: GuestRecipe): GuestSpec[] {
    if (recipe.kind === "hvm-stubdom") {
      const g = this.makeGuest(domid, recipe, domid + 1);
      const s = this.makeStubdom(domid + 1, g, this.display(domid, recipe).vncPassword);
      return [g, s];
    }
    if (recipe.kind === "stubdom") throw new Error("stub domains are built with their guest (kind hvm-stubdom)");
    return [this.makeGuest(domid, recipe)];
  }

  /**
   * The process of `g`'s QEMU after a restart with dm_restrict=1 (range-base uid, chroot,
   * own namespaces, rlimits): what libxl would start for it today.
   */
  deprivProcessFor(g: GuestSpec): FakeProcessSpec {
    const uid = RANGE_BASE_UID + g.domid;
    const cmdline = hvmCmdline({
      domid: g.domid,
      name: g.name,
      memoryMiB: g.memoryMiB,
      vcpus: g.vcpus,
      restrict: true,
      chroot: `${XEN_RUN_DIR}/qemu-root-${g.domid}`,
      runas: `${uid}:${RANGE_BASE_GID}`,
      runWith: g.qmp?.commandSet === "qemu-9.2",
      vga: g.traits.physmap ? "cirrus" : "stdvga",
      // The toolstack starts it with the same SPICE settings as before.
      spice: spiceOf(g),
    });
    return process(this.pid(), "qemu-system-i38", cmdline, {
      uid,
      gid: RANGE_BASE_GID,
      root: `${XEN_RUN_DIR_RESOLVED}/qemu-root-${g.domid}`,
      ns: this.ns(),
      limits: DEPRIV_LIMITS,
    });
  }

  // ---- host ---------------------------------------------------------------------

  /** dom0's and the host-wide nodes. Draws nothing from the PRNG: callable at any time. */
  hostNodes(): XsNodeSpec[] {
    const out: XsNodeSpec[] = [];
    const n0 = perms("n0");
    const r0 = perms("r0");
    emitTree(out, "/local", n0, {
      domain: {
        "0": {
          name: "Domain-0",
          domid: "0",
          vm: "/vm/00000000-0000-0000-0000-000000000000",
          memory: { "static-max": "17179869184", target: "4194304" },
          cpu: { "0": { availability: "online" }, "1": { availability: "online" } },
          "device-model": {},
          backend: { vbd: {}, vif: {}, qdisk: {}, vkbd: {}, console: {} },
          libxl: { disable_udev: "1" },
        },
      },
    });
    emitTree(out, "/tool", n0, { xenstored: {} });
    emitTree(out, "/libxl", n0, {});
    emitTree(out, "/vm", r0, {
      "00000000-0000-0000-0000-000000000000": { name: "Domain-0", uuid: "00000000-0000-0000-0000-000000000000" },
    });
    return out;
  }

  private hostProcesses(): FakeProcessSpec[] {
    const ns = this.hostNs;
    const list: FakeProcessSpec[] = [
      process(1, "systemd", ["/sbin/init"], { ns, ppid: 0 }),
      // Kernel threads: empty cmdline, must be skipped by the scan.
      process(2, "kthreadd", [], { ns, ppid: 0 }),
      process(15, "ksoftirqd/0", [], { ns, ppid: 2 }),
      process(412, "xenstored", ["/usr/sbin/xenstored", "--pid-file", "/var/run/xen/xenstored.pid"], { ns }),
      process(430, "xenconsoled", ["/usr/sbin/xenconsoled", "--pid-file=/var/run/xen/xenconsoled.pid"], { ns }),
      // xencommons starts a QEMU serving qdisk for dom0 itself (-xen-domid 0).
      process(
        455,
        "qemu-system-i38",
        [
          "/usr/lib/xen/bin/qemu-system-i386",
          "-xen-domid",
          "0",
          "-xen-attach",
          "-name",
          "dom0",
          "-nographic",
          "-M",
          "xenpv",
          "-daemonize",
          "-monitor",
          "/dev/null",
          "-serial",
          "/dev/null",
          "-parallel",
          "/dev/null",
          "-nodefaults",
          "-no-user-config",
          "-pidfile",
          `${XEN_RUN_DIR}/qemu-dom0.pid`,
        ],
        { ns },
      ),
      process(610, "sshd", ["sshd: /usr/sbin/sshd -D [listener] 0 of 10-100 startups"], { ns }),
      // Mentions -xen-domid in an argument but is not a QEMU: the scan must not be fooled
      // by substrings, only by the argv element and its successor.
      process(702, "tail", ["tail", "-F", "/var/log/xen/qemu-dm-xen-domid.log"], { ns }),
    ];
    return list;
  }

  // ---- guests -------------------------------------------------------------------

  /**
   * VNC and SPICE settings of the guest at `domid`. Drawn from a stream of their own (seed and
   * domid), not the builder's: fleets without them stay what they were, draw for draw.
   */
  private display(domid: number, r: GuestRecipe): Display {
    const rng = new Prng((Math.imul(this.seed, 0x2545f491) ^ Math.imul(domid + 1, 0x9e3779b1) ^ 0x5ec7e7) >>> 0);
    const password = (n: number, alphabet: string) => Array.from({ length: n }, () => rng.pick([...alphabet])).join("");
    const vncPassword = (r.vncPassword ?? rng.chance(0.6)) ? password(8, ALNUM) : null;
    const vfb = r.vfb ?? rng.chance(0.5);
    const spice = (r.spice ?? rng.chance(0.12)) ? { port: 6000 + domid, password: password(16, BASE64) } : null;
    return { vncPassword, vfb, spice };
  }

  private name(): string {
    const prefix = this.rng.pick(NAME_PREFIXES);
    const n = (this.nameCounters.get(prefix) ?? this.rng.int(0, 12)) + 1;
    this.nameCounters.set(prefix, n);
    return `${prefix}-${String(n).padStart(2, "0")}`;
  }

  private pid(): number {
    this.nextPid += this.rng.int(3, 40);
    return this.nextPid;
  }

  private ns(): { mnt: string; ipc: string } {
    const base = this.nextNs;
    this.nextNs += 2;
    return { mnt: `mnt:[${base}]`, ipc: `ipc:[${base + 1}]` };
  }

  private makeGuest(domid: number, r: GuestRecipe, stubdomDomid?: number): GuestSpec {
    const rng = this.rng;
    const kind = r.kind;
    const hvm = kind.startsWith("hvm");
    const name = this.name();
    const uuid = rng.uuid();
    const memoryMiB = rng.pick([512, 1024, 2048, 4096, 8192]);
    const vcpus = rng.pick([1, 2, 2, 4, 8]);
    const dom0Qemu = kind === "hvm-depriv" || kind === "hvm-partial" || kind === "hvm-root" || kind === "pv-qemu";
    const partial: PartialVariant | undefined =
      kind === "hvm-partial" ? (r.partial ?? rng.pick<PartialVariant>(["shared-user", "no-chroot", "no-ns-rlimits"])) : undefined;
    const physmap = hvm && dom0Qemu && (r.physmap ?? rng.chance(this.profile.physmap));
    let commandSet: QmpSpec["commandSet"];
    if (physmap) commandSet = "qemu-4.2";
    else if (r.runWith) commandSet = "qemu-9.2";
    else commandSet = rng.weighted(this.profile.qemu);
    const runWith = commandSet === "qemu-9.2";

    // What the QEMU was started with (§4.3/§4.4).
    const depriv: GuestTraits["depriv"] =
      kind === "hvm-trad" ? "none" : !dom0Qemu ? null : kind === "hvm-depriv" ? "full" : kind === "hvm-partial" ? "partial" : "none";
    const restrict = kind === "hvm-depriv" || partial === "no-chroot" || partial === "no-ns-rlimits";
    const rangeUid = kind === "hvm-depriv" || partial === "no-chroot" || partial === "no-ns-rlimits";
    const chroot = kind === "hvm-depriv" || partial === "no-ns-rlimits";
    const unshared = kind === "hvm-depriv";
    const rlimited = kind === "hvm-depriv";
    const uid = rangeUid ? RANGE_BASE_UID + domid : partial === "shared-user" ? SHARED_UID : 0;
    const gid = rangeUid ? RANGE_BASE_GID : partial === "shared-user" ? SHARED_GID : 0;
    // Upstream QEMU writes `state` only when not restricted; qemu-dm and stubdom QEMUs always do.
    const stateKey = kind === "hvm-trad" || kind === "hvm-stubdom" || (dom0Qemu && !restrict);
    const qmpMode = r.qmpMode ?? "normal";
    const pidKey = kind === "hvm-stubdom" || kind === "pv" ? "absent" : (r.pidKey ?? "live");
    const clipboard = hvm && (r.clipboard ?? rng.chance(0.04));
    const unusual = r.unusual ?? rng.chance(0.03);
    const display = this.display(domid, r);
    const vfb = kind === "pv-qemu" && display.vfb;
    const spice = hvm && dom0Qemu ? display.spice : null;
    const secrets: SecretSpec[] = [];
    if (kind === "hvm-trad" && display.vncPassword) {
      secrets.push({ kind: "vnc-password", where: "xenstore", path: `/local/domain/${domid}/console/vnc-pass`, value: display.vncPassword });
    }
    if (vfb && display.vncPassword) {
      secrets.push({ kind: "vnc-password", where: "xenstore", path: `/local/domain/0/backend/vfb/${domid}/0/vncpasswd`, value: display.vncPassword });
    }
    if (spice) secrets.push({ kind: "spice-password", where: "cmdline", option: "-spice", value: spice.password });

    let proc: FakeProcessSpec | null = null;
    if (dom0Qemu || kind === "hvm-trad") {
      const pid = this.pid();
      const cmdline =
        kind === "pv-qemu"
          ? pvQemuCmdline(domid, name, memoryMiB, vfb)
          : kind === "hvm-trad"
            ? tradCmdline(domid, name, memoryMiB, vcpus)
            : hvmCmdline({
                domid,
                name,
                memoryMiB,
                vcpus,
                restrict,
                chroot: chroot ? `${XEN_RUN_DIR}/qemu-root-${domid}` : null,
                runas: rangeUid ? `${uid}:${gid}` : partial === "shared-user" ? "xen-qemuuser-shared" : null,
                runWith,
                vga: physmap ? "cirrus" : rng.pick(["cirrus", "stdvga"] as const),
                spice,
              });
      proc = process(pid, kind === "hvm-trad" ? "qemu-dm" : "qemu-system-i38", cmdline, {
        uid,
        gid,
        root: chroot ? `${XEN_RUN_DIR_RESOLVED}/qemu-root-${domid}` : "/",
        ns: unshared ? this.ns() : this.hostNs,
        limits: rlimited ? DEPRIV_LIMITS : DEFAULT_LIMITS,
      });
    }

    const qmp: QmpSpec | null = dom0Qemu
      ? {
          mode: qmpMode,
          version: VERSIONS[commandSet],
          runState: rng.weighted([
            ["running", 90],
            ["paused", 7],
            ["prelaunch", 3],
          ]),
          name,
          commandSet,
          blockDevices: hvm
            ? [
                { device: "ide0-hd0", removable: false, inserted: `/dev/vg0/${name}-disk` },
                { device: "ide1-cd0", removable: true, inserted: rng.chance(0.2) ? "/srv/iso/debian-12.iso" : null },
              ]
            : [],
          vnc:
            hvm || vfb
              ? { enabled: true, host: "127.0.0.1", service: String(5900 + domid), ...(vfb && display.vncPassword ? { auth: "vnc" as const } : {}) }
              : { enabled: false },
        }
      : null;

    const traits: GuestTraits = {
      depriv,
      ...(partial ? { partial } : {}),
      physmap,
      clipboard,
      unusual,
      stateKey,
      pidKey: pidKey !== "absent",
    };
    const g: GuestSpec = {
      domid,
      name,
      uuid,
      kind,
      guestType: hvm ? "hvm" : "pv",
      dmDomid: kind === "pv" ? null : kind === "hvm-stubdom" ? stubdomDomid! : 0,
      dmVersion: kind === "pv" ? null : kind === "hvm-trad" ? "qemu_xen_traditional" : "qemu_xen",
      ...(stubdomDomid !== undefined ? { stubdomDomid } : {}),
      memoryMiB,
      vcpus,
      traits,
      nodes: [],
      qmp,
      process: proc,
      secrets,
    };
    const stalePid = pidKey === "stale" ? (proc ? proc.pid + 1 : this.pid()) : null;
    g.nodes = this.guestNodes(g, {
      commandSet,
      devicePid: pidKey === "live" && proc ? proc.pid : stalePid,
      killUid: rangeUid ? uid : null,
      vfb,
      vncPassword: display.vncPassword,
    });
    if (stalePid !== null) this.nextPid = Math.max(this.nextPid, stalePid + 1); // never reuse it
    return g;
  }

  /**
   * The stub domain: a PV domain whose consoles a dom0 QEMU serves (-xen-attach). libxl gives
   * it a vfb carrying the guest's VNC settings (libxl__spawn_stub_dm), password included.
   */
  private makeStubdom(domid: number, target: GuestSpec, vncPassword: string | null): GuestSpec {
    const name = `${target.name}-dm`;
    const pid = this.pid();
    const proc = process(pid, "qemu-system-i38", pvQemuCmdline(domid, name, 128, true), { ns: this.hostNs });
    const s: GuestSpec = {
      domid,
      name,
      uuid: this.rng.uuid(),
      kind: "stubdom",
      guestType: "pv",
      dmDomid: 0,
      dmVersion: "qemu_xen",
      targetDomid: target.domid,
      memoryMiB: 128,
      vcpus: 1,
      traits: { depriv: "none", physmap: false, clipboard: false, unusual: false, stateKey: true, pidKey: false },
      nodes: [],
      qmp: {
        mode: "normal",
        version: VERSIONS["qemu-7.2"],
        runState: "running",
        name,
        commandSet: "qemu-7.2",
        blockDevices: [],
        vnc: { enabled: true, host: "127.0.0.1", service: String(5900 + domid), ...(vncPassword ? { auth: "vnc" as const } : {}) },
      },
      process: proc,
      secrets: vncPassword ? [{ kind: "vnc-password", where: "xenstore", path: `/local/domain/0/backend/vfb/${domid}/0/vncpasswd`, value: vncPassword }] : [],
    };
    s.nodes = this.guestNodes(s, { commandSet: "qemu-7.2", devicePid: null, killUid: null, vfb: true, vncPassword });
    return s;
  }

  private guestNodes(
    g: GuestSpec,
    o: { commandSet: QmpSpec["commandSet"]; devicePid: number | null; killUid: number | null; vfb: boolean; vncPassword: string | null },
  ): XsNodeSpec[] {
    const rng = this.rng;
    const d = g.domid;
    const out: XsNodeSpec[] = [];
    const dom = `/local/domain/${d}`;
    const ro = perms("n0", `r${d}`); // libxl's roperm: dom0 owns, guest reads
    const rw = perms(`n${d}`); // libxl's rwperm: the guest owns
    const be = perms("n0", `r${d}`); // backend nodes (§2.3): n<backend>, r<frontend>
    const hvm = g.guestType === "hvm";
    const qemuInDom0 = g.dmDomid === 0 && g.process !== null;
    const qemuServes = g.kind === "pv-qemu" || g.kind === "stubdom";

    // Frontend devices and their backends: kernel vbd/vif, or QEMU's qdisk/vkbd/console.
    const devices: TreeSpec = {};
    const backends: { type: string; devid: string; body: TreeSpec }[] = [];
    const addDev = (feType: string, beType: string, devid: string, feExtra: TreeSpec, beExtra: TreeSpec) => {
      const bePath = `/local/domain/0/backend/${beType}/${d}/${devid}`;
      (devices[feType] ??= {}) as TreeSpec;
      (devices[feType] as TreeSpec)[devid] = { backend: bePath, "backend-id": "0", state: "4", ...feExtra };
      backends.push({
        type: beType,
        devid,
        body: {
          frontend: `${dom}/device/${feType}/${devid}`,
          "frontend-id": String(d),
          online: "1",
          state: "4",
          "hotplug-status": "connected",
          ...beExtra,
        },
      });
    };
    if (g.kind === "stubdom") {
      addDev("console", "console", "1", { type: "ioemu", output: "pty", tty: `/dev/pts/${this.nextPts++}` }, { protocol: "vt100" });
    } else if (g.kind === "pv-qemu") {
      addDev(
        "vbd",
        "qdisk",
        "51712",
        { "virtual-device": "51712", "device-type": "disk" },
        {
          params: `aio:/var/lib/xen/images/${g.name}.img`,
          mode: "w",
          dev: "xvda",
        },
      );
      addDev("vkbd", "vkbd", "0", {}, { "feature-abs-pointer": "1" });
      addDev("console", "console", "1", { type: "ioemu", output: "pty", tty: `/dev/pts/${this.nextPts++}` }, { protocol: "vt100" });
      addDev("vif", "vif", "0", { handle: "0", mac: this.mac() }, { bridge: "xenbr0", script: "/etc/xen/scripts/vif-bridge" });
    }
    if (o.vfb && (g.kind === "stubdom" || g.kind === "pv-qemu")) {
      // libxl__set_xenstore_vfb: the VNC settings go in the backend, the password in clear
      // (written only when one is set). QEMU's xenfb backend serves it.
      addDev(
        "vfb",
        "vfb",
        "0",
        {},
        {
          vnc: "1",
          vnclisten: "127.0.0.1",
          vncpasswd: o.vncPassword ?? undefined,
          vncdisplay: "0",
          vncunused: "1",
          sdl: "0",
          opengl: "0",
        },
      );
    }
    if (g.kind !== "stubdom" && g.kind !== "pv-qemu") {
      addDev(
        "vbd",
        "vbd",
        hvm ? "768" : "51712",
        { "virtual-device": hvm ? "768" : "51712", "device-type": "disk" },
        {
          params: `/dev/vg0/${g.name}-disk`,
          type: "phy",
          mode: "w",
          dev: hvm ? "hda" : "xvda",
        },
      );
      addDev("vif", "vif", "0", { handle: "0", mac: this.mac() }, { bridge: "xenbr0", script: "/etc/xen/scripts/vif-bridge" });
    }

    const image: TreeSpec = {
      "device-model-pid": o.devicePid !== null ? String(o.devicePid) : undefined,
      "device-model-kill-uid": o.killUid !== null ? String(o.killUid) : undefined,
      "device-model-domid": g.kind === "hvm-stubdom" ? String(g.stubdomDomid) : undefined,
    };
    const consoleType = hvm || g.kind === "stubdom" ? "ioemu" : "xenconsoled";
    emitTree(out, dom, ro, {
      vm: `/vm/${g.uuid}`,
      name: g.name,
      domid: String(d),
      target: g.kind === "stubdom" ? String(g.targetDomid) : undefined,
      cpu: Object.fromEntries(Array.from({ length: g.vcpus }, (_, i) => [String(i), { availability: "online" }])),
      memory: { "static-max": String(g.memoryMiB * 1024), target: String(g.memoryMiB * 1024 - 8192), videoram: hvm ? "8192" : undefined },
      image,
      console: {
        "ring-ref": String(rng.int(1000000, 9000000)),
        port: String(rng.int(2, 8)),
        limit: "1048576",
        type: consoleType,
        output: consoleType === "ioemu" ? "pty" : undefined,
        // QEMU writes the pty name (xenstore_store_pv_console_info); xenconsoled does too.
        tty: `/dev/pts/${this.nextPts++}`,
        // qemu-xen-traditional publishes its VNC server, password included, in clear
        // (xenstore_write_vncinfo), after taking the password from /vm/<uuid>/vncpasswd.
        "vnc-port": g.kind === "hvm-trad" ? String(5900 + d) : undefined,
        "vnc-listen": g.kind === "hvm-trad" ? "127.0.0.1" : undefined,
        "vnc-pass": g.kind === "hvm-trad" ? (o.vncPassword ?? undefined) : undefined,
      },
      control: {
        shutdown: withPerms(rw, ""),
        "platform-feature-multiprocessor-suspend": "1",
        "platform-feature-xs_reset_watches": "1",
        // Written by the guest's PV drivers.
        "feature-poweroff": withPerms(rw, "1"),
        "feature-reboot": withPerms(rw, "1"),
        "feature-suspend": g.kind === "stubdom" ? undefined : withPerms(rw, "1"),
      },
      data: withPerms(rw, {
        updated: g.kind === "stubdom" ? undefined : new Date(Date.UTC(2026, 0, 1) + d * 61_000).toUTCString(),
        // XenServer's VNC clipboard keys. UNDOCUMENTED: xen.git names no clipboard key
        // (xen-devmodel.md §2.1); these names are what XenServer-derived guests are
        // believed to use and are here so the analysis has something to classify.
        set_clipboard: g.traits.clipboard ? "" : undefined,
        report_clipboard: g.traits.clipboard ? "hello from the guest" : undefined,
        // Not a key any rule knows.
        "vendor-agent-heartbeat": g.traits.unusual && !hvm ? String(1767225600 + d) : undefined,
      }),
      device: withPerms(rw, devices),
      hvmloader: hvm && g.dmVersion === "qemu_xen" ? { "allow-memory-relocate": "0" } : undefined,
      store: { port: "1", "ring-ref": String(rng.int(1000000, 9000000)) },
    });
    const beTypes = new Set<string>();
    for (const b of backends) {
      // backend/<type>/<g> itself: created implicitly by xenstored, owned by the backend domain.
      if (!beTypes.has(b.type)) emitTree(out, `/local/domain/0/backend/${b.type}/${d}`, perms("n0"), "");
      beTypes.add(b.type);
      emitTree(out, `/local/domain/0/backend/${b.type}/${d}/${b.devid}`, be, b.body);
    }

    // The device-model directory (§2.1), in the domain the DM runs in.
    if (g.dmDomid !== null) {
      const dm = g.dmDomid;
      const dmPerms = dm === 0 ? perms("n0") : perms(`n${dm}`, `r${d}`);
      const tree: TreeSpec = {};
      if (g.traits.stateKey) tree.state = "running";
      if (g.dmVersion === "qemu_xen_traditional") {
        tree.disable_pf = "0";
        tree.command = "continue";
        tree.parameter = "";
        tree.logdirty = { cmd: "disable", ret: "disable" };
      } else {
        const types = qemuInDom0 || g.kind === "hvm-stubdom" ? QEMU_BACKENDS[o.commandSet] : [];
        const backendsNeeded = qemuServes ? backends.map((b) => b.type).filter((t) => t !== "vif") : [];
        tree.backends = Object.fromEntries([...new Set([...types, ...backendsNeeded])].map((t) => [t, {}]));
      }
      if (g.traits.physmap) {
        // QEMU built against Xen < 4.10 records where it mapped the VGA VRAM (§2.1).
        const physOffset = (g.memoryMiB * 1024 * 1024).toString(16);
        tree.physmap = {
          [physOffset]: { start_addr: "f0000000", size: (8 * 1024 * 1024).toString(16), name: "vga.vram" },
        };
      }
      if (g.kind === "hvm-stubdom") {
        // Linux stubdom: QMP reached through vchan-socket-proxy (§3.2).
        tree["qmp-vchan"] = { "ring-ref": String(rng.int(8, 64)), "event-channel": String(rng.int(10, 40)) };
      }
      if (g.traits.unusual && hvm) tree["x-custom-feature"] = "1";
      emitTree(out, `/local/domain/${dm}/device-model/${d}`, dmPerms, tree);
    }

    emitTree(out, `/libxl/${d}`, perms("n0"), {
      type: g.guestType,
      "dm-version": g.dmVersion ?? undefined,
      "x-site-note": g.traits.unusual && !hvm ? "migrated from xenhost-old" : undefined,
    });
    emitTree(out, `/vm/${g.uuid}`, ro, {
      uuid: g.uuid,
      name: g.name,
      image: { ostype: g.guestType === "hvm" ? "hvm" : "linux" },
      // libxl wrote the password here for qemu-xen-traditional, which read it and overwrote it
      // with one NUL byte (xenstore_read_vncpasswd): the key stays, the secret is gone.
      vncpasswd: g.kind === "hvm-trad" && o.vncPassword ? "\0" : undefined,
    });
    return out;
  }

  private mac(): string {
    const r = this.rng;
    const h = () => r.hex(2);
    return `00:16:3e:${h()}:${h()}:${h()}`;
  }
}

function spiceOf(g: GuestSpec): { port: number; password: string } | null {
  const s = g.secrets.find((x) => x.kind === "spice-password");
  return s ? { port: 6000 + g.domid, password: s.value } : null;
}

/** Deterministic: the same `{ vms, seed, profile }` always gives the same fleet. */
export function generateFleet(opts: { vms: number; seed: number; profile?: FleetProfileName }): FleetSpec {
  if (!Number.isInteger(opts.vms) || opts.vms < 0) throw new RangeError(`vms must be a non-negative integer, got ${opts.vms}`);
  return new FleetBuilder(opts.seed, opts.profile).build(opts.vms);
}

/**
 * XenStore-use rules: which device-model keys are a dependency to remove, which are the
 * PV part that stays on XenStore, and which are toolstack bookkeeping. The first rule
 * whose pattern matches a key classifies it (order matters: specific before general).
 * Pattern syntax: see ./pattern.ts.
 */
import { compilePattern, type CompiledPattern } from "./pattern";
import { xsRuleSchema } from "./schema";
import type { TopicSlug } from "./topics";

export type XsSeverity = "blocker" | "info";

export interface XsRule {
  id: string;
  pattern: string;
  /** What the key is a dependency for, or "none" for keys that are not a QEMU dependency. */
  dependency: string;
  topic: TopicSlug;
  /** Why, with the reference section it comes from. */
  description: string;
  severity: XsSeverity;
}

export interface CompiledRule extends XsRule {
  readonly compiled: CompiledPattern;
  /** First literal segment, when the pattern starts with one: a cheap pre-filter. */
  readonly head: string | null;
}

/** Rules compiled once, in order. Build with `compileRules`. */
export interface CompiledRules {
  readonly rules: readonly CompiledRule[];
  readonly byId: ReadonlyMap<string, CompiledRule>;
  /**
   * Candidate rules by the key's 4th segment (`/local/domain/<id>/<HERE>/…`), in rule
   * order: a rule whose 4th token is a literal (or {a,b}) only appears under those values.
   * Keys whose 4th segment is in no bucket use `wild` (rules that can match anything there).
   */
  readonly dispatch: ReadonlyMap<string, readonly CompiledRule[]>;
  readonly wild: readonly CompiledRule[];
}

/** Segment index used for dispatch: the one after /local/domain/<id>. */
export const DISPATCH_SEGMENT = 3;

/** The literal values a rule requires at DISPATCH_SEGMENT, or null if it accepts any. */
function dispatchValues(p: CompiledPattern): ReadonlySet<string> | null {
  for (let i = 0; i <= DISPATCH_SEGMENT; i++) if (p.tokens[i]?.kind === "globstar" || !p.tokens[i]) return null;
  const t = p.tokens[DISPATCH_SEGMENT];
  if (t.kind === "lit") return new Set([t.value]);
  if (t.kind === "alt") return t.values;
  return null;
}

const QEMU_PV_BACKENDS = "{qdisk,console,vkbd,vfb,qusb,9pfs,qnic}";
const DM = "/local/domain/<dm>/device-model/<g>";
const TOOLSTACK = "none";

export const DEFAULT_XS_RULES: readonly XsRule[] = [
  {
    id: "dm-dir",
    pattern: DM,
    dependency: TOOLSTACK,
    topic: "xenstore-removal",
    severity: "info",
    description:
      "The device-model directory itself: libxl creates it and sets its permissions (libxl_dm.c xs_mkdir; stubdoms n<dm>,r<g>). Toolstack bookkeeping, not a QEMU use (reference §2.1).",
  },
  {
    id: "dm-state",
    pattern: `${DM}/state`,
    dependency: "QEMU startup notification (state=running); replace with QMP query-status on a -S started QEMU",
    topic: "xenstore-removal",
    severity: "blocker",
    description:
      "QEMU writes state=running when the VM runs and libxl waits on it (device_model_confirm); skipped under -xen-domid-restrict, where toolstacks use QMP query-status instead (reference §2.1, §3.3, §4.6 item 8).",
  },
  {
    id: "physmap",
    pattern: "/local/domain/*/device-model/<g>/physmap/**",
    dependency: "VRAM physmap records (start_addr/size/name) for restore; needs the new foreign-map mechanism",
    topic: "physmap-keys",
    severity: "blocker",
    description:
      "QEMU built against Xen < 4.10 (XEN_COMPAT_PHYSMAP) records the VGA VRAM mapping under /local/domain/0/device-model/<g>/physmap/<offset>/… and libxl copies it into the migration stream. The path hard-codes dom0, hence '*' for the dm segment (reference §2.1; minutes: 'the physmap key needs removing').",
  },
  {
    id: "trad-command",
    pattern: `${DM}/command`,
    dependency: "qemu-xen-traditional control channel (save, continue, pci-ins, pci-rem); QMP stop/cont/xen-save-devices-state replace it",
    topic: "xenstore-removal",
    severity: "blocker",
    description:
      "libxl drove qemu-xen-traditional by writing command=save|continue|pci-ins|pci-rem (removed from libxl by commit 19ab8356ab, 2025); upstream QEMU is driven over QMP (reference §2.1, §3.3).",
  },
  {
    id: "trad-parameter",
    pattern: `${DM}/parameter`,
    dependency: "qemu-xen-traditional PCI hotplug argument (BDF in, vdevfn out); QMP device_add/device_del + query-pci replace it",
    topic: "emulated-hotplug",
    severity: "blocker",
    description:
      "parameter carries the PCI BDF/options for pci-ins/pci-rem and QEMU answers with the vdevfn — the XenStore hotplug protocol of qemu-xen-traditional (reference §2.1; QMP equivalents §3.3).",
  },
  {
    id: "trad-logdirty",
    pattern: `${DM}/logdirty/**`,
    dependency: "log-dirty enable/disable handshake (logdirty/cmd, logdirty/ret); QMP xen-set-global-dirty-log replaces it",
    topic: "log-dirty",
    severity: "blocker",
    description:
      "qemu-xen-traditional's undocumented log-dirty protocol: libxl writes logdirty/cmd=enable|disable, QEMU answers in logdirty/ret (reference §2.1); upstream QEMU has QMP xen-set-global-dirty-log (§3.4).",
  },
  {
    id: "dm-backends",
    pattern: `${DM}/backends/**`,
    dependency: "PV backend advertisement (QEMU mkdirs one dir per backend type it serves); PV part, stays on XenStore by design",
    topic: "xenstore-removal",
    severity: "info",
    description:
      "QEMU's legacy backend core creates backends/<type> and libxl reads it to decide whether QEMU can serve a backend (libxl__query_qemu_backend) (reference §2.1). Minutes: XenStore moves 'into the PV specific part of the code'.",
  },
  {
    id: "dm-qmp-vchan",
    pattern: `${DM}/qmp-vchan`,
    dependency: TOOLSTACK,
    topic: "xenstore-removal",
    severity: "info",
    description: "Written by libxl for Linux stubdoms: the vchan path vchan-socket-proxy uses to reach QMP. Toolstack bookkeeping (reference §2.1, §3.2).",
  },
  {
    id: "pv-backend-qemu",
    pattern: `/local/domain/<dm>/backend/${QEMU_PV_BACKENDS}/<g>/**`,
    dependency: "PV backend served by QEMU (XenBus protocol); stays on XenStore by design",
    topic: "xenstore-removal",
    severity: "info",
    description:
      "Backends QEMU registers (xen_backend_register / xen_be_register): qdisk, console, qnic, vkbd, vfb, 9pfs, qusb; backend nodes frontend, frontend-id, online, hotplug-status, state (reference §2.3). The XenBus protocol is XenStore: this is the PV part that remains.",
  },
  {
    id: "console-tty",
    pattern: "/local/domain/<g>/console/tty",
    dependency: "pty name of the first PV console, published by QEMU; PV part",
    topic: "xenstore-removal",
    severity: "info",
    description: "QEMU writes the pty of the first PV console here (xenstore_store_pv_console_info) (reference §2.1).",
  },
  {
    id: "device-console-tty",
    pattern: "/local/domain/<g>/device/console/*/tty",
    dependency: "pty name of an additional PV console, published by QEMU; PV part",
    topic: "xenstore-removal",
    severity: "info",
    description: "QEMU writes the pty of console <n> to device/console/<n>/tty (xenstore_store_pv_console_info) (reference §2.1).",
  },
  {
    id: "console-frontend",
    pattern: "/local/domain/<g>/console/{ring-ref,port,limit,type,output,backend,backend-id,state}",
    dependency: "PV console frontend/xenconsoled keys; not a QEMU use",
    topic: "xenstore-removal",
    severity: "info",
    description:
      "The first PV console's ring and event channel plus the frontend keys XenBus gives every frontend (backend, backend-id, state; reference §2.3). The exact key list is from docs/misc/xenstore-paths.pandoc (inference: not quoted in the reference); other console keys stay unclassified on purpose.",
  },
  {
    id: "device-console-frontend",
    pattern: "/local/domain/<g>/device/console/*/{ring-ref,port,limit,type,output,backend,backend-id,state,protocol,name}",
    dependency: "PV console frontend keys; PV part",
    topic: "xenstore-removal",
    severity: "info",
    description:
      "Frontend node of an additional PV console, /local/domain/<g>/device/<devtype>/<devid> with backend, backend-id, state (reference §2.3); ring keys as for ~/console (inference).",
  },
  {
    id: "vnc-clipboard",
    pattern: "/local/domain/<g>/data/{set_clipboard,report_clipboard}",
    dependency: "VNC clipboard exchange between QEMU and the guest (XenServer); to move to a shared page",
    topic: "vnc-clipboard",
    severity: "blocker",
    description:
      "XenServer passes the VNC clipboard through XenStore; the minutes call it a past source of security problems and plan a shared page. Key names are not documented in xen.git (reference §2.1, 2017-05-10 minutes).",
  },
  {
    id: "control-shutdown",
    pattern: "/local/domain/<g>/control/shutdown",
    dependency:
      "power requests between the toolstack and the guest's PV drivers; not a QEMU use on upstream QEMU, which reports poweroff/reboot with the dm-op xendevicemodel_shutdown",
    topic: "shutdown-keys",
    // info, not blocker: every guest with PV drivers has this key whatever its device model,
    // so counting it against QEMU would mark the whole fleet blocked. The QEMU-side shutdown
    // handling the minutes name is qemu-traditional's, which its own trad-* rules already flag.
    severity: "info",
    description:
      "~/control/shutdown carries power commands, the guest acks with \"\" (reference §2.2). The minutes list the 'shutdown' keys among QEMU's remaining XenStore uses; upstream QEMU reports poweroff/reboot with the dm-op xendevicemodel_shutdown (§2.2), so the key itself is the toolstack↔guest protocol.",
  },
  {
    id: "control-features",
    pattern:
      "/local/domain/<g>/control/{sysrq,feature-poweroff,feature-reboot,feature-suspend,feature-s3,feature-s4,platform-feature-multiprocessor-suspend,platform-feature-xs_reset_watches,laptop-slate-mode,feature-laptop-slate-mode}",
    dependency: "guest power-control feature flags and sysrq (guest ↔ toolstack)",
    topic: "shutdown-keys",
    severity: "info",
    description:
      "Platform feature and control paths from docs/misc/xenstore-paths.pandoc (reference §2.2); they accompany control/shutdown but are written by the guest and toolstack.",
  },
  {
    id: "image-dm-pid",
    pattern: "/local/domain/<g>/image/device-model-pid",
    dependency: TOOLSTACK,
    topic: "xenstore-removal",
    severity: "info",
    description: "libxl records the device model's PID (spawn pidpath); QEMU never reads it (reference §2.1, §4.6 item 1).",
  },
  {
    id: "image-dm-kill-uid",
    pattern: "/local/domain/<g>/image/device-model-kill-uid",
    dependency: TOOLSTACK,
    topic: "qemu-depriv",
    severity: "info",
    description: "libxl writes the UID to kill by when QEMU runs under a per-domain UID; a depriv signal, not a QEMU use (reference §2.1, §4.3, §4.6 item 7).",
  },
  {
    id: "image-dm-domid",
    pattern: "/local/domain/<g>/image/device-model-domid",
    dependency: TOOLSTACK,
    topic: "libxl-two-qemu-split",
    severity: "info",
    description: "libxl records the stub domain's domid when the device model runs in one (reference §2.1).",
  },
  {
    id: "libxl-guest",
    pattern: "/libxl/<g>/**",
    dependency: TOOLSTACK,
    topic: "xenstore-removal",
    severity: "info",
    description: "libxl's private per-guest tree, e.g. dm-version (reference §2.1). Not read by QEMU.",
  },
  {
    id: "libxl-dm-guest",
    pattern: "/local/domain/<dm>/libxl/<g>/**",
    dependency: TOOLSTACK,
    topic: "libxl-two-qemu-split",
    severity: "info",
    description:
      "libxl's per-guest records in the device-model domain, e.g. qdisk-backend-pid of the separate QEMU serving PV qdisk backends — the 'two QEMUs' split (reference §2.1; minutes).",
  },
];

/**
 * Validate and compile rules once. Throws (with every message) on an invalid rule or a
 * duplicate id, so a bad admin edit is caught at load time rather than silently ignored.
 */
export function compileRules(rules: readonly XsRule[]): CompiledRules {
  const out: CompiledRule[] = [];
  const byId = new Map<string, CompiledRule>();
  for (const rule of rules) {
    const parsed = xsRuleSchema.safeParse(rule);
    if (!parsed.success) throw new Error(`invalid rule "${rule?.id}": ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
    if (byId.has(rule.id)) throw new Error(`duplicate rule id "${rule.id}"`);
    const compiled = compilePattern(rule.pattern);
    const first = compiled.tokens[0];
    const c: CompiledRule = { ...rule, compiled, head: first?.kind === "lit" ? first.value : null };
    out.push(c);
    byId.set(rule.id, c);
  }
  const values = out.map((r) => dispatchValues(r.compiled));
  const dispatch = new Map<string, CompiledRule[]>();
  for (const set of values) for (const v of set ?? []) dispatch.set(v, []);
  for (const [v, list] of dispatch) out.forEach((r, i) => (values[i] === null || values[i]!.has(v)) && list.push(r));
  return { rules: out, byId, dispatch, wild: out.filter((_, i) => values[i] === null) };
}

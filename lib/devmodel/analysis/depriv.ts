/**
 * The QEMU deprivileging checklist (xen.git docs/designs/qemu-deprivilege.md, reference
 * §4.1) evaluated from outside, the way §4.6 says to observe it.
 */
import type { DomainSnapshot, ProcessFacts } from "../types";
import { classifyDeviceModel, type DeviceModelKind } from "./device-model";

export type CheckVerdict = "pass" | "fail" | "unknown" | "n/a";
export type DeprivCheckId = "domid-restrict" | "non-root-uid" | "chroot" | "namespaces" | "rlimits" | "kill-uid";

export interface DeprivCheck {
  id: DeprivCheckId;
  label: string;
  verdict: CheckVerdict;
  evidence: string;
}

export type DeprivVerdict = "deprivileged" | "partial" | "privileged" | "unknown" | "n/a";

export interface DeprivReport {
  verdict: DeprivVerdict;
  /** Ids of the checks that failed. */
  missing: DeprivCheckId[];
  reason?: string;
  /** How the UID was chosen (§4.3), when the uid is known and not root. */
  uidMode: "range-base" | "per-domain" | "shared-or-custom" | null;
  checks: DeprivCheck[];
}

const LABELS: Record<DeprivCheckId, string> = {
  "domid-restrict": "Xen fds restricted to the guest (-xen-domid-restrict)",
  "non-root-uid": "Runs as a non-root user (-runas / -run-with user=)",
  chroot: "Chrooted (-chroot / -run-with chroot=)",
  namespaces: "Own mount and IPC namespaces",
  rlimits: "Basic rlimits (FSIZE 256 KiB; CORE, MSGQUEUE, LOCKS, MEMLOCK 0)",
  "kill-uid": "libxl can kill the device model's UID (image/device-model-kill-uid)",
};
const CHECK_ORDER: DeprivCheckId[] = ["domid-restrict", "non-root-uid", "chroot", "namespaces", "rlimits", "kill-uid"];

/** The uid libxl's docs suggest for xen-qemuuser-range-base (§4.3). */
export const RANGE_BASE_UID = 131072;
/** libxl's RLIMIT_FSIZE for a restricted DM (§4.4). */
export const DM_FSIZE_LIMIT = 256 * 1024;
const ZERO_LIMITS = ["Max core file size", "Max msgqueue size", "Max file locks", "Max locked memory"];

const check = (id: DeprivCheckId, verdict: CheckVerdict, evidence: string): DeprivCheck => ({
  id,
  label: LABELS[id],
  verdict,
  evidence,
});

/** Turn ProcessFacts.errors ("root: EACCES") into sentences ("no permission to read /proc/42/root"). */
export function explainProcErrors(p: ProcessFacts): string[] {
  return p.errors.map((e) => {
    const m = /^(init )?([^:]+):(.*)$/.exec(e);
    if (!m) return e;
    const file = `/proc/${m[1] ? 1 : p.pid}/${m[2].trim()}`;
    const code = m[3].trim();
    if (code === "EACCES" || code === "EPERM") return `no permission to read ${file}`;
    if (code === "ENOENT" || code === "ESRCH") return `${file} is gone (process exited?)`;
    // Refusals of the bounded procfs reader (procfs/fs.ts).
    if (code === "ENOTREG") return `${file} is not a regular file (not read)`;
    if (code === "EFBIG") return `${file} is larger than the read limit (not read)`;
    if (code === "ETIMEDOUT") return `reading ${file} did not finish in time`;
    return `could not read ${file}: ${code}`;
  });
}

function procErrorFor(p: ProcessFacts, ...labels: string[]): string {
  const hits = p.errors.filter((e) => labels.some((l) => e.startsWith(`${l}:`) || e.startsWith(`init ${l}:`)));
  if (hits.length === 0) return "";
  return ` (${explainProcErrors({ ...p, errors: hits }).join("; ")})`;
}

/** Value of an option given as `-opt value` or `-opt=value`. */
function optionValue(cmdline: string[], opt: string): string | null {
  for (let i = 0; i < cmdline.length; i++) {
    if (cmdline[i] === opt) return cmdline[i + 1] ?? "";
    if (cmdline[i].startsWith(`${opt}=`)) return cmdline[i].slice(opt.length + 1);
  }
  return null;
}

/** A `-run-with` sub-option (e.g. chroot=, user=), from any -run-with occurrence. */
function runWith(cmdline: string[], key: string): string | null {
  for (let i = 0; i < cmdline.length; i++) {
    if (cmdline[i] !== "-run-with" && cmdline[i] !== "--run-with") continue;
    for (const part of (cmdline[i + 1] ?? "").split(",")) if (part.startsWith(`${key}=`)) return part.slice(key.length + 1);
  }
  return null;
}

function checkDomidRestrict(p: ProcessFacts): DeprivCheck {
  if (!p.cmdline) return check("domid-restrict", "unknown", `command line not readable${procErrorFor(p, "cmdline")}`);
  return p.cmdline.includes("-xen-domid-restrict")
    ? check("domid-restrict", "pass", "-xen-domid-restrict on the command line")
    : check("domid-restrict", "fail", "-xen-domid-restrict not on the command line");
}

function checkUid(d: DomainSnapshot, p: ProcessFacts, killUid: string | null): { c: DeprivCheck; mode: DeprivReport["uidMode"] } {
  if (!p.uid) return { c: check("non-root-uid", "unknown", `uids not readable${procErrorFor(p, "status")}`), mode: null };
  const { real, effective, saved } = p.uid;
  const ids = `real ${real}, effective ${effective}, saved ${saved}`;
  if (real === 0 || effective === 0 || saved === 0) return { c: check("non-root-uid", "fail", `root: ${ids}`), mode: null };
  const flag = p.cmdline ? (runWith(p.cmdline, "user") ?? optionValue(p.cmdline, "-runas")) : null;
  const via = flag ? `, user ${flag} on the command line` : "";
  if (effective - RANGE_BASE_UID === d.domid)
    return { c: check("non-root-uid", "pass", `${ids}: range-base uid ${RANGE_BASE_UID} + domid ${d.domid}${via}`), mode: "range-base" };
  if (killUid !== null) return { c: check("non-root-uid", "pass", `${ids}: per-domain uid (device-model-kill-uid = ${killUid})${via}`), mode: "per-domain" };
  return {
    c: check("non-root-uid", "pass", `${ids}: shared (xen-qemuuser-shared) or custom (device_model_user) uid, no kill-by-uid${via}`),
    mode: "shared-or-custom",
  };
}

function checkChroot(p: ProcessFacts): DeprivCheck {
  const dir = p.cmdline ? (runWith(p.cmdline, "chroot") ?? optionValue(p.cmdline, "-chroot")) : null;
  const flag =
    dir !== null
      ? `chroot ${dir || "(empty)"} on the command line`
      : p.cmdline
        ? "no -chroot / -run-with chroot= on the command line"
        : "command line not readable";
  if (p.root !== null) {
    if (p.root !== "/") return check("chroot", "pass", `/proc/${p.pid}/root → ${p.root}; ${flag}`);
    return check("chroot", "fail", `/proc/${p.pid}/root → /; ${flag}`);
  }
  // Root unreadable: libxl only chroots through the flag (§4.4), so its absence decides.
  if (p.cmdline && dir === null) return check("chroot", "fail", `${flag}; /proc/${p.pid}/root not readable${procErrorFor(p, "root")}`);
  return check("chroot", "unknown", `${flag}, but /proc/${p.pid}/root not readable${procErrorFor(p, "root")}`);
}

function checkNamespaces(p: ProcessFacts): DeprivCheck {
  const { mnt, ipc } = p.ns;
  if (!mnt.self || !mnt.init || !ipc.self || !ipc.init)
    return check("namespaces", "unknown", `namespace links not readable${procErrorFor(p, "ns/mnt", "ns/ipc")}`);
  const shared = [mnt.self === mnt.init ? "mnt" : null, ipc.self === ipc.init ? "ipc" : null].filter((x): x is string => x !== null);
  const base = p.ns.baseline ?? "PID 1";
  const note = base === "PID 1" ? "" : ` (the host's namespaces as ${base}'s: /proc/1/ns not readable)`;
  if (shared.length === 0) return check("namespaces", "pass", `mnt ${mnt.self} and ipc ${ipc.self} differ from ${base}'s${note}`);
  return check("namespaces", "fail", `shares ${shared.join(" and ")} namespace with ${base}${note}`);
}

function fmtLimit(name: string, l: { soft: number | "unlimited"; hard: number | "unlimited" }): string {
  return `${name} ${l.soft}/${l.hard}`;
}

function checkRlimits(p: ProcessFacts): DeprivCheck {
  if (!p.limits) return check("rlimits", "unknown", `limits not readable${procErrorFor(p, "limits")}`);
  const bad: string[] = [];
  const absent: string[] = [];
  const fsize = p.limits["Max file size"];
  const within = (v: number | "unlimited", max: number) => v !== "unlimited" && v <= max;
  if (!fsize) absent.push("Max file size");
  else if (!within(fsize.soft, DM_FSIZE_LIMIT) || !within(fsize.hard, DM_FSIZE_LIMIT)) bad.push(fmtLimit("Max file size", fsize));
  for (const name of ZERO_LIMITS) {
    const l = p.limits[name];
    if (!l) absent.push(name);
    else if (l.soft !== 0 || l.hard !== 0) bad.push(fmtLimit(name, l));
  }
  if (bad.length > 0) return check("rlimits", "fail", `not restricted: ${bad.join(", ")}`);
  if (absent.length > 0) return check("rlimits", "unknown", `not in /proc/${p.pid}/limits: ${absent.join(", ")}`);
  return check("rlimits", "pass", `Max file size ≤ ${DM_FSIZE_LIMIT}; core, msgqueue, file locks, locked memory 0`);
}

function allNa(evidence: string): DeprivCheck[] {
  return CHECK_ORDER.map((id) => check(id, "n/a", evidence));
}

/**
 * Evaluate the checklist for one guest. n/a without a device model; a stub domain is
 * deprivileged by construction; unknown (with why) when the process facts are missing or
 * unreadable; otherwise deprivileged / partial / privileged from the checks.
 */
export function assessDepriv(domain: DomainSnapshot, kind: DeviceModelKind = classifyDeviceModel(domain).kind): DeprivReport {
  if (kind === "none") return { verdict: "n/a", missing: [], reason: "no device model", uidMode: null, checks: allNa("no device model") };
  if (domain.dmDomid !== null && domain.dmDomid !== 0) {
    const ev = `device model runs in stub domain ${domain.dmDomid}: isolated by the hypervisor, no dom0 process to restrict`;
    return { verdict: "deprivileged", missing: [], reason: ev, uidMode: null, checks: allNa(ev) };
  }

  const killUidKey = `/local/domain/${domain.domid}/image/device-model-kill-uid`;
  const killUid = Object.prototype.hasOwnProperty.call(domain.keys ?? {}, killUidKey) ? domain.keys[killUidKey] : null;
  const killCheck =
    killUid !== null
      ? check("kill-uid", "pass", `${killUidKey} = ${killUid}`)
      : check("kill-uid", "fail", `${killUidKey} absent: no per-domain UID to kill by`);

  const p = domain.process;
  if (!p) {
    const why = domain.processError
      ? `device-model process facts missing: ${domain.processError.kind}: ${domain.processError.message}`
      : "device-model process facts missing: no process found for this guest";
    const checks = CHECK_ORDER.map((id) => (id === "kill-uid" ? killCheck : check(id, "unknown", why)));
    return { verdict: "unknown", missing: [], reason: why, uidMode: null, checks };
  }

  const uid = checkUid(domain, p, killUid);
  const checks = [checkDomidRestrict(p), uid.c, checkChroot(p), checkNamespaces(p), checkRlimits(p), killCheck];
  const missing = checks.filter((c) => c.verdict === "fail").map((c) => c.id);
  const unknown = checks.filter((c) => c.verdict === "unknown");
  // kill-uid is bookkeeping that follows from a per-domain uid; it alone does not restrict QEMU.
  const restrictionPasses = checks.filter((c) => c.verdict === "pass" && c.id !== "kill-uid").length;

  let verdict: DeprivVerdict;
  let reason: string | undefined;
  if (missing.length === 0 && unknown.length === 0) verdict = "deprivileged";
  else if (missing.length === 0) {
    verdict = "unknown";
    const errs = explainProcErrors(p);
    reason = `could not check ${unknown.map((c) => c.id).join(", ")}${errs.length ? `: ${errs.join("; ")}` : ""}`;
  } else if (restrictionPasses === 0) {
    verdict = "privileged";
    reason = `no restriction in place; missing ${missing.join(", ")}`;
  } else {
    verdict = "partial";
    reason = `missing ${missing.join(", ")}${unknown.length ? `; not checked: ${unknown.map((c) => c.id).join(", ")}` : ""}`;
  }
  return { verdict, missing, reason, uidMode: uid.mode, checks };
}

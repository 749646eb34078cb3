/**
 * Human-readable rendering of a HostSnapshot for `npm run dm -- snapshot`. Kept apart
 * from the CLI so other commands (and the analysis printing the lead adds) reuse it.
 */
import type { DomainSnapshot, HostSnapshot, ProcessFacts, QmpFacts } from "@/lib/devmodel/types";

function ids(x: ProcessFacts["uid"]): string {
  return x ? `${x.real}/${x.effective}/${x.saved}/${x.fs}` : "?";
}

function qmpLine(q: QmpFacts): string {
  if (q.status !== "ok") return `${q.status}${q.socket ? ` (${q.socket})` : ""}: ${q.error}`;
  const v = q.version;
  const xen = q.commands.filter((c) => c.startsWith("xen-") || c.includes("-xen-")).length;
  return (
    `ok, QEMU ${v.major}.${v.minor}.${v.micro}${v.package ? ` (${v.package})` : ""}, ${q.runState}, ` +
    `${q.commands.length} commands (${xen} Xen), ${q.blockDevices.length} block, ` +
    `vnc ${q.vnc?.enabled ? `${q.vnc.host ?? "?"}:${q.vnc.service ?? "?"}` : "off"}, ${q.elapsedMs} ms`
  );
}

function limit(p: ProcessFacts, name: string): string {
  const l = p.limits?.[name];
  return l ? `${l.soft}/${l.hard}` : "?";
}

export function formatProcess(p: ProcessFacts): string[] {
  const nsDiff = (k: "mnt" | "ipc") => {
    const n = p.ns[k];
    if (!n.self) return "?";
    if (!n.init) return `${n.self} (init unknown)`;
    return n.self === n.init ? "host" : `own ${n.self}`;
  };
  const lines = [
    `pid ${p.pid} (found by ${p.foundBy}) uid ${ids(p.uid)} gid ${ids(p.gid)} root ${p.root ?? "?"}`,
    `ns mnt ${nsDiff("mnt")}, ipc ${nsDiff("ipc")}; limits fsize ${limit(p, "Max file size")} core ${limit(p, "Max core file size")} ` +
      `msgqueue ${limit(p, "Max msgqueue size")} locks ${limit(p, "Max file locks")} memlock ${limit(p, "Max locked memory")}`,
  ];
  if (p.cmdline) lines.push(`cmdline ${p.cmdline.join(" ")}`);
  if (p.errors.length) lines.push(`unreadable: ${p.errors.join(", ")}`);
  return lines;
}

export function formatDomain(d: DomainSnapshot): string {
  const out: string[] = [];
  out.push(
    `domain ${d.domid} ${d.name ?? "(no name)"}: ${d.guestType ?? "?"}, ` +
      `device model ${d.dmDomid === null ? "none" : d.dmDomid === 0 ? "in dom0" : `in stub domain ${d.dmDomid}`}` +
      `${d.dmVersion ? ` (${d.dmVersion})` : ""}`,
  );
  if (d.dmDirPerms) {
    out.push(
      `  dm dir perms: owner ${d.dmDirPerms.owner}, default ${d.dmDirPerms.defaultAccess}, ${d.dmDirPerms.entries.map((e) => `${e.access}:${e.domid}`).join(" ")}`,
    );
  }
  const keys = Object.entries(d.keys);
  out.push(`  keys (${keys.length}):`);
  for (const [k, v] of keys) out.push(`    ${k}${v === "" ? "" : ` = ${JSON.stringify(v)}`}`);
  out.push(`  qmp: ${qmpLine(d.qmp)}`);
  if (d.process) for (const l of formatProcess(d.process)) out.push(`  process: ${l}`);
  else out.push(`  process: ${d.processError ? `${d.processError.kind}: ${d.processError.message}` : "none"}`);
  return out.join("\n");
}

export function formatSnapshot(s: HostSnapshot): string {
  const head = [
    `snapshot ${s.takenAt} in ${s.elapsedMs} ms`,
    `  xenstored ${s.source.xenstored}: ${s.xenstore.ok ? `ok${s.xenstore.directoryPart ? " (DIRECTORY_PART)" : ""}` : `${s.xenstore.error.kind}: ${s.xenstore.error.message}`}`,
    `  qmp ${s.source.qmpDir}, proc ${s.source.procRoot}`,
    `  ${s.domains.length} domains`,
  ];
  return [head.join("\n"), ...s.domains.map(formatDomain)].join("\n\n") + "\n";
}

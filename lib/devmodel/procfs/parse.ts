/**
 * Pure parsers for the /proc files the depriv checks read (xen-devmodel.md §4.6).
 * Kept free of I/O so they can be property-tested and reused by the fake /proc writer.
 */
import type { ProcIds, ProcLimit } from "@/lib/devmodel/types";

/** /proc/<pid>/cmdline: arguments separated (and usually terminated) by NUL. */
export function parseCmdline(raw: string): string[] {
  if (raw.length === 0) return [];
  const parts = raw.split("\0");
  // The trailing NUL produces one empty element; an empty argument in the middle is real.
  if (parts[parts.length - 1] === "") parts.pop();
  return parts;
}

export function formatCmdline(argv: readonly string[]): string {
  return argv.length === 0 ? "" : argv.join("\0") + "\0";
}

/**
 * The `Uid:`/`Gid:` lines of /proc/<pid>/status: four decimal ids, real, effective,
 * saved set-user-ID and filesystem, separated by tabs.
 */
export function parseStatusIds(status: string): { uid: ProcIds | null; gid: ProcIds | null } {
  let uid: ProcIds | null = null;
  let gid: ProcIds | null = null;
  // Line by line in place: status has ~55 lines and only these two are used.
  for (let at = 0; at < status.length;) {
    let end = status.indexOf("\n", at);
    if (end < 0) end = status.length;
    if (status.startsWith("Uid:", at)) uid = parseIds(status.slice(at + 4, end));
    else if (status.startsWith("Gid:", at)) gid = parseIds(status.slice(at + 4, end));
    if (uid && gid) break;
    at = end + 1;
  }
  return { uid, gid };
}

function parseIds(rest: string): ProcIds | null {
  const n = rest
    .trim()
    .split(/\s+/)
    .map((s) => Number(s));
  if (n.length !== 4 || n.some((x) => !Number.isInteger(x) || x < 0)) return null;
  return { real: n[0], effective: n[1], saved: n[2], fs: n[3] };
}

/**
 * /proc/<pid>/limits: a header line, then one line per limit with the name padded to
 * 26 columns, soft and hard limit padded to 21 and the unit (fs/proc/base.c
 * `proc_pid_limits`). Names contain spaces, so the columns are located from the
 * header rather than by splitting on whitespace; a fallback splits from the right
 * for files that do not follow the padding (e.g. hand-written fixtures).
 */
export function parseLimits(text: string): Record<string, ProcLimit> {
  let parsed = limitsMemo.get(text);
  if (!parsed) {
    parsed = parseLimitsText(text);
    if (limitsMemo.size >= LIMITS_MEMO_SIZE) limitsMemo.delete(limitsMemo.keys().next().value!);
    limitsMemo.set(text, parsed);
  }
  // A copy: each process gets its own objects, whoever keeps or changes them.
  const out: Record<string, ProcLimit> = {};
  for (const name in parsed) out[name] = { ...parsed[name] };
  return out;
}

/**
 * Texts parsed lately → their limits. libxl starts every device model of a host with the same
 * limits, so their files are byte-identical: a snapshot of 1000 parses a handful, not 1000.
 */
const limitsMemo = new Map<string, Record<string, ProcLimit>>();
const LIMITS_MEMO_SIZE = 16;

function parseLimitsText(text: string): Record<string, ProcLimit> {
  const out: Record<string, ProcLimit> = {};
  // Walked line by line in place (read for every QEMU on every snapshot): no array of lines.
  const firstEnd = text.indexOf("\n");
  const header = firstEnd < 0 ? text : text.slice(0, firstEnd);
  const softCol = header.indexOf("Soft Limit");
  const hardCol = header.indexOf("Hard Limit");
  const unitCol = header.indexOf("Units");
  const columnar = softCol > 0 && hardCol > softCol && unitCol > hardCol;
  for (let at = firstEnd < 0 ? text.length : firstEnd + 1; at < text.length;) {
    let end = text.indexOf("\n", at);
    if (end < 0) end = text.length;
    const start = at;
    at = end + 1;
    let name: string;
    let soft: string;
    let hard: string;
    let unit: string;
    if (columnar && end - start >= hardCol) {
      // Columns past the line's end are empty, as String#slice makes them.
      const unitAt = Math.min(start + unitCol, end);
      name = text.slice(start, start + softCol).trim();
      soft = text.slice(start + softCol, start + hardCol).trim();
      hard = text.slice(start + hardCol, unitAt).trim();
      unit = text.slice(unitAt, end).trim();
    } else {
      const line = text.slice(start, end).trim();
      if (line === "") continue;
      // From the right: [soft, hard] or [soft, hard, unit]; the rest is the name.
      const t = line.split(/\s+/);
      const hasUnit = parseLimitValue(t[t.length - 1]) === null;
      unit = hasUnit ? t.pop()! : "";
      hard = t.pop() ?? "";
      soft = t.pop() ?? "";
      name = t.join(" ");
    }
    const s = parseLimitValue(soft);
    const h = parseLimitValue(hard);
    if (!name || s === null || h === null) continue;
    out[name] = { soft: s, hard: h, unit };
  }
  return out;
}

function parseLimitValue(v: string): number | "unlimited" | null {
  if (v === "unlimited") return "unlimited";
  if (!/^\d+$/.test(v)) return null;
  return Number(v);
}

/** Render limits the way the kernel does (used by the fake /proc). */
export function formatLimits(limits: Record<string, ProcLimit>): string {
  const pad = (s: string, n: number) => (s.length >= n ? s + " " : s.padEnd(n));
  let out = pad("Limit", 26) + pad("Soft Limit", 21) + pad("Hard Limit", 21) + pad("Units", 10) + "\n";
  for (const [name, l] of Object.entries(limits)) {
    out += pad(name, 26) + pad(String(l.soft), 21) + pad(String(l.hard), 21) + (l.unit ? pad(l.unit, 10) : "") + "\n";
  }
  return out;
}

/**
 * The guest a device-model process serves: `-xen-domid <g>` (qemu-xen), or for
 * qemu-xen-traditional's `qemu-dm`, `-d <g>` (libxl__build_device_model_args_old). `-d` is
 * only trusted when argv[0] is qemu-dm: other programs use -d for other things.
 */
export function dmDomidFromArgv(argv: readonly string[]): number | null {
  const x = xenDomidFromArgv(argv);
  if (x !== null) return x;
  if (argv.length === 0 || !/(?:^|\/)qemu-dm$/.test(argv[0])) return null;
  const i = argv.indexOf("-d");
  const v = i >= 0 ? argv[i + 1] : undefined;
  return v !== undefined && /^\d+$/.test(v) ? Number(v) : null;
}

/**
 * Find the guest domid a QEMU serves from its argv: the value after `-xen-domid`
 * (also accepts `--xen-domid` and `-xen-domid=<n>`, which QEMU's option parser allows).
 */
export function xenDomidFromArgv(argv: readonly string[]): number | null {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    let v: string | undefined;
    if (a === "-xen-domid" || a === "--xen-domid") v = argv[i + 1];
    else if (a.startsWith("-xen-domid=") || a.startsWith("--xen-domid=")) v = a.slice(a.indexOf("=") + 1);
    else continue;
    if (v !== undefined && /^\d+$/.test(v)) return Number(v);
    return null;
  }
  return null;
}

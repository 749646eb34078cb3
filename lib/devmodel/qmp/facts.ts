/**
 * One short, read-only QMP conversation producing the `QmpFacts` a snapshot needs.
 * Short because a QEMU chardev serves one client at a time: while we are
 * connected, libxl (or libxenstat) cannot be.
 */
import { maskText } from "@/lib/devmodel/secrets";
import { QMP_TIMEOUT_MS } from "@/lib/devmodel/timeouts";
import type { QmpFacts } from "@/lib/devmodel/types";
import { QmpClient, describeTarget, type QmpTarget } from "./client";
import { QmpConnectionError, QmpError, QmpProtocolError, QmpTimeoutError } from "./errors";
import type { QmpBlockDeviceInfo, QmpCommandInfo, QmpNameInfo, QmpStatusInfo, QmpVersionInfo, QmpVncInfo } from "./types";

type BlockFact = Extract<QmpFacts, { status: "ok" }>["blockDevices"][number];
type VncFact = Extract<QmpFacts, { status: "ok" }>["vnc"];

export interface QmpFactsOptions {
  timeoutMs?: number;
  /**
   * What this QEMU process answered earlier to the queries whose answer is fixed for its life
   * (see commands-cache.ts): `query-commands` (the build's command table, ~200 names: most of
   * the bytes of a conversation) and `query-name` (`-name`). Not asked again when given.
   */
  known?: QmpProcessConstants;
}

/** The facts a QEMU process cannot change while it lives. */
export interface QmpProcessConstants {
  commands: string[];
  name: string | null;
}

/**
 * Never throws. The whole call (connect, five queries — three with `known` —, disconnect) is bounded by
 * `timeoutMs` (default QMP_TIMEOUT_MS). `target` is a socket path, a TCP port or any
 * transport (e.g. an SSH channel to a remote socket). Queries are pipelined behind the
 * negotiation: they are all in flight at once, so the conversation costs one round trip after the greeting.
 * The version is the greeting's: QEMU builds both from the same VersionInfo (qmp_query_version),
 * so `query-version` would only repeat it.
 */
export async function queryQmpFacts(target: QmpTarget, opts: QmpFactsOptions = {}): Promise<QmpFacts> {
  const timeoutMs = opts.timeoutMs ?? QMP_TIMEOUT_MS;
  const socket = describeTarget(target);
  const started = performance.now();
  const remaining = () => Math.max(1, timeoutMs - (performance.now() - started));
  let client: QmpClient | null = null;
  try {
    // Pipelined: the queries leave with qmp_capabilities, in one write after the greeting.
    client = await QmpClient.connect(target, { timeoutMs, pipeline: true });
    const t = { timeoutMs: remaining() };
    const status = client.execute<QmpStatusInfo>("query-status", undefined, t);
    const known = opts.known;
    const commands = known ? Promise.resolve(null) : client.execute<QmpCommandInfo[]>("query-commands", undefined, t);
    const name = known ? Promise.resolve(null) : optional(client.execute<QmpNameInfo>("query-name", undefined, t));
    const block = optional(client.execute<QmpBlockDeviceInfo[]>("query-block", undefined, t));
    const vnc = optional(client.execute<QmpVncInfo>("query-vnc", undefined, t));
    // Settle all before looking at any, so no rejection is left unobserved.
    const [s, c, n, b, w] = await Promise.allSettled([status, commands, name, block, vnc]);
    for (const r of [s, c, n, b, w]) if (r.status === "rejected") throw r.reason;
    const vv: QmpVersionInfo | undefined = client.greeting?.QMP.version;
    const ss = (s as PromiseFulfilledResult<QmpStatusInfo>).value;
    const cc = (c as PromiseFulfilledResult<QmpCommandInfo[] | null>).value;
    const nn = (n as PromiseFulfilledResult<QmpNameInfo | null>).value;
    const bb = (b as PromiseFulfilledResult<QmpBlockDeviceInfo[] | null>).value;
    const ww = (w as PromiseFulfilledResult<QmpVncInfo | null>).value;
    const facts: QmpFacts = {
      status: "ok",
      socket,
      version: {
        major: num(vv?.qemu?.major),
        minor: num(vv?.qemu?.minor),
        micro: num(vv?.qemu?.micro),
        package: typeof vv?.package === "string" ? vv.package : "",
      },
      runState: typeof ss?.status === "string" ? ss.status : "unknown",
      running: ss?.running === true,
      commands: known ? known.commands : Array.isArray(cc) ? cc.map((x) => x?.name).filter((x): x is string => typeof x === "string") : [],
      name: known ? known.name : typeof nn?.name === "string" ? nn.name : null,
      blockDevices: Array.isArray(bb) ? bb.map(blockFact) : [],
      vnc: vncFact(ww),
      elapsedMs: 0,
    };
    await closeQuickly(client);
    client = null;
    facts.elapsedMs = Math.round((performance.now() - started) * 100) / 100;
    return facts;
  } catch (err) {
    return { status: statusOf(err), socket, error: err instanceof Error ? err.message : String(err) };
  } finally {
    if (client) void closeQuickly(client);
  }
}

/** Optional queries: a QEMU without VNC or -name support still gives useful facts. */
function optional<T>(p: Promise<T>): Promise<T | null> {
  return p.catch((err: unknown) => {
    if (err instanceof QmpError) return null;
    throw err;
  });
}

function statusOf(err: unknown): Exclude<QmpFacts["status"], "ok"> {
  if (err instanceof QmpTimeoutError) return "timeout";
  if (err instanceof QmpConnectionError) return err.phase === "connect" ? "unreachable" : "error";
  if (err instanceof QmpProtocolError) return "protocol";
  return "error";
}

function closeQuickly(client: QmpClient): Promise<void> {
  // destroy() is synchronous; the promise only waits for Node's 'close' event.
  return client.close();
}

function num(v: unknown): number {
  return typeof v === "number" && Number.isFinite(v) ? v : 0;
}

function blockFact(d: QmpBlockDeviceInfo): BlockFact {
  // With -blockdev/-device QEMU reports device "" and names the frontend in qdev.
  const device = typeof d?.device === "string" && d.device !== "" ? d.device : typeof d?.qdev === "string" ? d.qdev : "";
  // Block paths may carry credentials (rbd's key=…, a URL's password): masked at the source.
  const file = d?.inserted && typeof d.inserted.file === "string" ? maskText(d.inserted.file) : null;
  return { device, removable: d?.removable === true, inserted: file };
}

function vncFact(v: QmpVncInfo | null): VncFact {
  if (!v || typeof v !== "object") return null;
  const out: NonNullable<VncFact> = { enabled: v.enabled === true };
  if (typeof v.host === "string") out.host = v.host;
  if (typeof v.service === "string") out.service = v.service;
  return out;
}

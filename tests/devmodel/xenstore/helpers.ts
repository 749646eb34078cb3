import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { XenStoreServer, type XenStoreServerOptions } from "@/lib/devmodel/sim/xenstored";
import type { XsWatch, XsWatchEvent } from "@/lib/devmodel/xenstore";

/** A temp dir with a short socket path (unix socket paths must stay < 108 bytes). */
export function tempSocketDir(): { dir: string; sock: string; cleanup(): void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "xst-"));
  return { dir, sock: path.join(dir, "xs.sock"), cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

export async function startServer(opts: XenStoreServerOptions = {}): Promise<{ server: XenStoreServer; sock: string; stop(): Promise<void> }> {
  const t = tempSocketDir();
  const server = new XenStoreServer(opts);
  await server.listen(t.sock);
  return {
    server,
    sock: t.sock,
    stop: async () => {
      await server.close();
      t.cleanup();
    },
  };
}

export interface ToolResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run a real client tool against `sock` (async: the server lives in this process). */
export function runTool(cmd: string, args: string[], sock: string, timeoutMs = 10_000): Promise<ToolResult> {
  return new Promise((resolve) => {
    execFile(cmd, args, { env: { ...process.env, XENSTORED_PATH: sock }, encoding: "utf8", timeout: timeoutMs, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === "number" ? err.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** Undo xenstore-ls/xenstore-read escaping: \\ \t \n \r \ooo \xHH (and the C letter escapes). */
export function unescapeXs(s: string): Buffer {
  const out: number[] = [];
  const letters: Record<string, number> = { t: 9, n: 10, r: 13, a: 7, b: 8, f: 12, v: 11, e: 27, "\\": 92 };
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c !== "\\") {
      for (const b of Buffer.from(c, "utf8")) out.push(b);
      continue;
    }
    const n = s[i + 1];
    if (n === "x" && /^[0-9a-f]{2}$/i.test(s.slice(i + 2, i + 4))) {
      out.push(parseInt(s.slice(i + 2, i + 4), 16));
      i += 3;
    } else if (/^[0-7]{3}$/.test(s.slice(i + 1, i + 4))) {
      out.push(parseInt(s.slice(i + 1, i + 4), 8));
      i += 3;
    } else if (n !== undefined && n in letters) {
      out.push(letters[n]);
      i += 1;
    } else throw new Error(`unknown escape at ${i} in ${JSON.stringify(s)}`);
  }
  return Buffer.from(out);
}

/**
 * Parse `xenstore-ls -f` output: one `<full path> = "<escaped value>"` line per node (optionally
 * followed by `  (perms)` with -p). -f is used because plain xenstore-ls truncates values to 80
 * columns even when stdout is not a terminal.
 */
export function parseLsFull(out: string): Map<string, { value: Buffer; perms?: string[] }> {
  const m = new Map<string, { value: Buffer; perms?: string[] }>();
  for (const line of out.split("\n")) {
    if (line === "") continue;
    const r = /^(\S+) = "(.*)"(?:\s+\(([^)]*)\))?$/.exec(line);
    if (!r) throw new Error(`unparsable xenstore-ls line ${JSON.stringify(line)}`);
    m.set(r[1], { value: unescapeXs(r[2]), perms: r[3]?.split(",") });
  }
  return m;
}

/**
 * Parse indented (non -f) `xenstore-ls` output into full paths: one space of indent per level.
 * Values may be truncated ("\\..." suffix) so only the structure is returned.
 */
export function parseLsIndented(out: string, root: string): string[] {
  const stack: string[] = [];
  const paths: string[] = [];
  for (const line of out.split("\n")) {
    if (line === "") continue;
    const r = /^( *)([^ ]+) = "/.exec(line);
    if (!r) throw new Error(`unparsable xenstore-ls line ${JSON.stringify(line)}`);
    const depth = r[1].length;
    stack.length = depth;
    stack[depth] = r[2];
    paths.push((root === "/" ? "" : root) + "/" + stack.join("/"));
  }
  return paths;
}

/** Next watch event, or a rejection after `ms`. */
export async function nextEvent(w: XsWatch, ms = 2000): Promise<XsWatchEvent> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no watch event within ${ms} ms`)), ms);
  });
  try {
    const r = await Promise.race([w.next(), timeout]);
    if (r.done) throw new Error("watch ended");
    return r.value;
  } finally {
    clearTimeout(timer);
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export async function waitFor(cond: () => boolean, ms = 3000, step = 10): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, step));
  }
}

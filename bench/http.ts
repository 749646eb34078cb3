/**
 * HTTP suite: a maintained load generator (autocannon) against the real server (`npm start`'s
 * scripts/start.ts on the production build), signed in, 20 connections, SQLite and PostgreSQL
 * side by side. Two passes per database: the demo data (issue 12's own row, "pages at 20
 * concurrent connections (demo data)": target p95 < 250 ms), then the 10k-meeting / 100k-item
 * database (bench/meetings-data.ts) added to it. req/s and latency p50 / p95 / p99 per page,
 * the percentiles computed from every response's own time (autocannon's summary has p97.5,
 * not p95). The demo pass runs twice per database: one server process (the default), then
 * DMBOARD_WORKERS=2 (rows http.<db>.w2.demo.…). Needs a build (`node scripts/prepare.mjs`).
 * Port: DMBOARD_BENCH_PORT (3140).
 *
 * `node --import tsx bench/http.ts [--quick] [--demo] [--sqlite|--postgresql] [--workers 1,2]`
 * runs it alone (`--demo`: the demo-data pass only).
 */
import { spawn, execFileSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { chromium } from "@playwright/test";
import autocannon from "autocannon";
import { createDb } from "@/lib/db/client";
import { resolveDbConfig } from "@/lib/db/config";
import { generateMeetingsData } from "./meetings-data";
import type { Row } from "./run";

const ROOT = path.resolve(import.meta.dirname, "..");
const PASSWORD = "bench-demo-password";
const r1 = (x: number) => Math.round(x * 10) / 10;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitHealthy(base: string, child: ChildProcess, log: () => string): Promise<void> {
  const end = Date.now() + 180_000;
  while (Date.now() < end) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}:\n${log().slice(-2000)}`);
    try {
      const r = await fetch(`${base}/api/health`);
      if (r.ok) return;
    } catch {
      // not up yet
    }
    await sleep(250);
  }
  throw new Error(`server not healthy in 180 s:\n${log().slice(-2000)}`);
}

/** The server and its children (Next, the embedded simulator) are one process group: stop them all. */
async function stop(child: ChildProcess): Promise<void> {
  const group = (sig: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, sig);
    } catch {
      // gone
    }
  };
  if (child.exitCode === null && child.signalCode === null) {
    const gone = new Promise((r) => child.once("exit", r));
    group("SIGTERM");
    const t = setTimeout(() => group("SIGKILL"), 15_000);
    await gone;
    clearTimeout(t);
  }
  group("SIGKILL"); // whatever of the group outlived its parent
}

async function portFree(port: number): Promise<void> {
  try {
    await fetch(`http://localhost:${port}/api/health`);
  } catch {
    return;
  }
  throw new Error(`port ${port} is in use: stop what listens there (DMBOARD_BENCH_PORT picks another)`);
}

/** fetch, once more when a kept-alive connection the server had closed meanwhile was reused. */
async function fetchOnce(url: string, init?: RequestInit): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch {
    return fetch(url, init);
  }
}

async function signIn(base: string): Promise<string> {
  const r = await fetchOnce(`${base}/api/auth/sign-in/email`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: base },
    body: JSON.stringify({ email: "admin@dmboard.local", password: PASSWORD }),
  });
  if (!r.ok) throw new Error(`sign-in failed: ${r.status} ${await r.text()}`);
  return r.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
}

interface Load {
  result: autocannon.Result;
  /** Every response's time, ms, sorted. */
  times: number[];
}

function load(url: string, cookie: string, seconds: number): Promise<Load> {
  return new Promise((resolve, reject) => {
    const times: number[] = [];
    const instance = autocannon({ url, connections: 20, duration: seconds, headers: { cookie } }, (err, result) =>
      err ? reject(err) : resolve({ result, times: times.sort((a, b) => a - b) }),
    );
    instance.on("response", (_client: unknown, _status: number, _bytes: number, ms: number) => times.push(ms));
  });
}

const CLK_TCK = Number(execFileSync("getconf", ["CLK_TCK"]).toString().trim()) || 100;

/** The server's processes (scripts/serve.mjs, started by scripts/start.ts, and with DMBOARD_WORKERS its workers): their CPU time. */
function serverPids(start: ChildProcess): number[] {
  const children = (pid: number, pattern?: string): number[] => {
    try {
      return execFileSync("pgrep", ["-P", String(pid), ...(pattern ? ["-f", pattern] : [])])
        .toString()
        .trim()
        .split("\n")
        .map(Number)
        .filter(Boolean);
    } catch {
      return [];
    }
  };
  const serve = children(start.pid!, "scripts/serve.mjs")[0];
  return serve ? [serve, ...children(serve)] : [];
}

/** CPU time (user + system, ms) the processes have used so far (one that exited counts 0). */
function cpuMs(pids: number[]): number {
  let sum = 0;
  for (const pid of pids) {
    try {
      // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
      const f = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
      sum += ((Number(f[11]) + Number(f[12])) * 1000) / CLK_TCK;
    } catch {
      // gone
    }
  }
  return sum;
}

/** Nearest-rank percentile of sorted values. */
const percentile = (sorted: number[], p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : NaN);

const PAGE_GOAL_MS = 250;

/**
 * What a real browser asks of the server per page view, besides static files: the document,
 * then Next's RSC requests, prefetches of the links in view among them (each renders a layout).
 * autocannon fetches the document alone, so this says how far its req/s are from a user's load.
 */
async function browserRequests(base: string, cookie: string, pages: string[]): Promise<Map<string, { all: number; prefetch: number }>> {
  const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu"] });
  try {
    const ctx = await browser.newContext();
    await ctx.addCookies(cookie.split("; ").map((c) => ({ name: c.slice(0, c.indexOf("=")), value: c.slice(c.indexOf("=") + 1), url: base })));
    const page = await ctx.newPage();
    const out = new Map<string, { all: number; prefetch: number }>();
    for (const p of pages) {
      const n = { all: 0, prefetch: 0 };
      const count = (r: import("@playwright/test").Request) => {
        if (new URL(r.url()).pathname.startsWith("/_next/static/")) return;
        n.all++;
        if (r.headers()["next-router-prefetch"]) n.prefetch++;
      };
      page.on("request", count);
      await page.goto(`${base}${p}`, { waitUntil: "networkidle" });
      await page.waitForTimeout(1000); // prefetches start once the links are seen
      page.off("request", count);
      out.set(p, n);
    }
    return out;
  } finally {
    await browser.close();
  }
}

export async function benchHttp(
  opts: {
    quick?: boolean;
    /** The demo-data pass only (the issue's goal row), without the 10k/100k database. */
    demoOnly?: boolean;
    providers?: ("sqlite" | "postgresql")[];
    /** Server processes (DMBOARD_WORKERS) per run: 1, the default, then 2 for the demo pass. */
    workers?: number[];
    seconds?: number;
    progress?: (rows: Row[]) => void;
  } = {},
): Promise<Row[]> {
  const meetings = opts.quick ? 1000 : 10_000;
  const items = opts.quick ? 10_000 : 100_000;
  const seconds = opts.seconds ?? (opts.quick ? 5 : 10);
  const port = Number(process.env.DMBOARD_BENCH_PORT || 3140);
  const base = `http://localhost:${port}`;
  const rows: Row[] = [];
  const runs = (opts.providers ?? (["sqlite", "postgresql"] as const)).flatMap((provider) =>
    (opts.workers ?? [1, 2]).map((workers) => ({ provider, workers })),
  );
  for (const { provider, workers } of runs) {
    // With several workers: the demo pass only, under its own name (http.sqlite.w2.demo.…).
    const tag = workers > 1 ? `${provider}.w${workers}` : provider;
    const dataDir = fs.mkdtempSync(path.join(fs.existsSync("/dev/shm") ? "/dev/shm" : os.tmpdir(), `dm-http-${provider}-`));
    let databaseUrl = "";
    const pgName = `dmb_perf_http_${process.pid}`;
    if (provider === "postgresql") {
      execFileSync("createdb", ["-h", "127.0.0.1", "-U", "postgres", pgName]);
      databaseUrl = `postgresql://postgres@127.0.0.1:5432/${pgName}`;
    }
    const env = {
      ...process.env,
      PORT: String(port),
      DMBOARD_DATA_DIR: dataDir,
      DATABASE_URL: databaseUrl,
      // The demo (accounts with this password, a few meetings) on either database.
      DMBOARD_DEMO: "on",
      DMBOARD_DEMO_PASSWORD: PASSWORD,
      DMBOARD_WORKERS: String(workers),
      LOG_LEVEL: "warn",
    };
    let out = "";
    await portFree(port);
    const child = spawn(process.execPath, ["--import", "tsx", "scripts/start.ts"], { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"], detached: true });
    child.stdout!.on("data", (b) => (out += b));
    child.stderr!.on("data", (b) => (out += b));
    try {
      await waitHealthy(base, child, () => out);
      const cookie = await signIn(base);
      const server = serverPids(child);
      const measure = async (pass: string, pages: [string, string][]) => {
        for (const [name, p] of pages) {
          const probe = await fetchOnce(`${base}${p}`, { headers: { cookie }, redirect: "manual" }).catch((e: Error) => {
            throw new Error(`${p}: ${e.message}; server said:\n${out.slice(-3000)}`);
          });
          if (probe.status !== 200) throw new Error(`${p}: HTTP ${probe.status} (signed in?)`);
          await load(`${base}${p}`, cookie, 2); // warm-up
          const cpu0 = server.length ? cpuMs(server) : NaN;
          const { result: r, times } = await load(`${base}${p}`, cookie, seconds);
          const cpuPerView = server.length && r.requests.total ? (cpuMs(server) - cpu0) / r.requests.total : NaN;
          const bad = r.non2xx + r.errors + r.timeouts;
          const p95 = percentile(times, 95);
          const key = `http.${tag}.${pass}.${name}`;
          const before = rows.length;
          rows.push(
            {
              name: `${key}.rps`,
              value: r1(r.requests.average),
              unit: "req/s",
              note: `${p}, 20 connections, ${seconds} s${workers > 1 ? `, ${workers} worker processes` : ""}${bad ? `, ${bad} failed` : ""}`,
            },
            { name: `${key}.p50`, value: r1(percentile(times, 50)), unit: "ms" },
            {
              name: `${key}.p95`,
              value: r1(p95),
              unit: "ms",
              note: !times.length
                ? "no request completed in time (autocannon's 10 s timeout)"
                : `${times.length} responses; target p95 < ${PAGE_GOAL_MS} ms: ${p95 < PAGE_GOAL_MS ? "met" : "MISSED"}`,
            },
            { name: `${key}.p99`, value: r1(percentile(times, 99)), unit: "ms" },
            {
              name: `${key}.cpu`,
              value: Math.round(cpuPerView * 100) / 100,
              unit: "ms",
              note: "the server processes' CPU per response (user + system): steadier than req/s on a shared machine",
            },
          );
          opts.progress?.(rows.slice(before));
        }
      };
      const demoPages: [string, string][] = [
        ["home", "/"],
        ["meetings", "/meetings"],
        ["items", "/items"],
        ["vms", "/vms"],
        ["api.v1.vms", "/api/v1/vms"],
      ];
      // The floor: a page with next to nothing on it (no shell, no read), rendered per request
      // like every page. Its CPU per response is what Next.js itself costs on this machine in
      // this run; the pages' own cost is what they pay above it (the machine's speed varied 2x
      // between runs of one session: compare pages with the floor of the same run).
      await measure("demo", [["floor", "/forbidden"], ...demoPages]);
      if (workers > 1) continue;
      const views = await browserRequests(
        base,
        cookie,
        demoPages.filter(([, p]) => !p.startsWith("/api/")).map(([, p]) => p),
      );
      for (const [name, p] of demoPages) {
        const v = views.get(p);
        if (v)
          rows.push({
            name: `http.${provider}.demo.${name}.browser`,
            value: v.all,
            unit: "req",
            note: `${p} in Chromium: requests per view (${v.prefetch} prefetches), static files aside`,
          });
      }
      opts.progress?.(rows.filter((r) => r.name.startsWith(`http.${provider}.demo.`) && r.name.endsWith(".browser")));

      if (opts.demoOnly) continue;
      // Then the bulk, added to the demo data through the same database.
      const db = createDb(resolveDbConfig(env));
      const t0 = performance.now();
      const { topics, people } = await generateMeetingsData(db, { meetings, items });
      await db.$disconnect();
      rows.push({ name: `http.${provider}.generate`, value: r1((performance.now() - t0) / 1000), unit: "s", note: `${meetings} meetings, ${items} items` });
      opts.progress?.(rows.slice(-1));
      await measure(`${meetings / 1000}k`, [
        ["home", "/"],
        ["meetings", "/meetings"],
        ["items", "/items"],
        ["items.filtered", `/items?status=open&topic=${topics[0].slug}&owner=${people[0].id}`],
        ["vms", "/vms"],
        ["api.v1.vms", "/api/v1/vms"],
      ]);
    } finally {
      await stop(child);
      fs.rmSync(dataDir, { recursive: true, force: true });
      if (provider === "postgresql") {
        try {
          execFileSync("dropdb", ["-h", "127.0.0.1", "-U", "postgres", "--if-exists", "--force", pgName]);
        } catch {
          // left for the next run's cleanup
        }
      }
    }
  }
  return rows;
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  const quick = process.argv.includes("--quick");
  const demoOnly = process.argv.includes("--demo");
  const providers = process.argv.includes("--sqlite") ? (["sqlite"] as const) : process.argv.includes("--postgresql") ? (["postgresql"] as const) : undefined;
  const print = (rows: Row[]) => {
    for (const r of rows) console.log(`${r.name.padEnd(36)} ${String(r.value).padStart(9)} ${r.unit.padEnd(5)} ${r.note ?? ""}`);
  };
  const w = process.argv.indexOf("--workers");
  const workers = w > 0 ? process.argv[w + 1].split(",").map(Number) : undefined;
  benchHttp({ quick, demoOnly, providers: providers ? [...providers] : undefined, workers, progress: print }).then(
    () => process.exit(0),
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}

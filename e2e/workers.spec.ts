import { spawnSync } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { simPaths } from "@/lib/devmodel/sim-defaults";
import { E2E_PORT } from "../playwright.config";
import { CLUSTER_METRICS_TOKEN, signIn, startInstance, xenstore, type Instance } from "./fixtures/cluster";

/**
 * `npm start` with DMBOARD_WORKERS=2 on the embedded defaults (SQLite, the simulated host):
 * two processes share the port, the lead collects and the other mirrors it, and what must
 * be one per server stays one: the sign-in throttle, the live state every page and stream
 * shows, and /metrics (one scrape adds up both workers). A worker that dies is started
 * again and mirrors the lead at once.
 */
test.describe.configure({ mode: "serial" });
test.setTimeout(180_000);

const PORT = E2E_PORT + 5;
let work: string;
let inst: Instance;
let cookie: string;

interface Answer {
  status: number;
  worker: string | undefined;
  body: string;
}

/** One request on a connection of its own: the cluster deals connections round robin. */
function request(pathname: string, opts: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: "localhost", port: PORT, path: pathname, method: opts.method ?? "GET", headers: opts.headers, agent: false }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c) => (body += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, worker: res.headers["x-dmboard-worker"] as string | undefined, body }));
    });
    req.on("error", reject);
    req.setTimeout(30_000, () => req.destroy(new Error(`${pathname}: no answer in 30 s`)));
    req.end(opts.body);
  });
}

/** A request answered by worker `index` (new connections until one lands there; GETs only). */
async function onWorker(index: string, pathname: string, headers: Record<string, string> = {}): Promise<Answer> {
  for (let i = 0; i < 20; i++) {
    const r = await request(pathname, { headers });
    if (r.worker === index) return r;
  }
  throw new Error(`no connection reached worker ${index}`);
}

/** The worker processes (their index from their environment: the primary sets it). */
function workerPids(): Map<string, number> {
  const out = new Map<string, number>();
  for (const pid of fs.readdirSync("/proc").filter((p) => /^\d+$/.test(p))) {
    try {
      const env = fs.readFileSync(`/proc/${pid}/environ`, "utf8").split("\0");
      if (!env.includes(`PORT=${PORT}`)) continue;
      const w = env.find((e) => e.startsWith("DMBOARD_WORKER="));
      if (w) out.set(w.slice("DMBOARD_WORKER=".length), Number(pid));
    } catch {
      // gone, or not ours
    }
  }
  return out;
}

test.beforeAll(async () => {
  test.setTimeout(300_000);
  work = fs.mkdtempSync(path.join(os.tmpdir(), "dmb-workers-"));
  inst = await startInstance({
    port: PORT,
    databaseUrl: "",
    dir: work,
    // A proxy in front (trusted): each test names its own client address.
    env: { DMBOARD_WORKERS: "2", DMBOARD_SIM: "on", DMBOARD_SIM_CHANGE_MS: "600000", DMBOARD_TRUST_PROXY: "on" },
  });
  cookie = await signIn(inst.url);
});

test.afterAll(async () => {
  await inst?.stop();
  fs.rmSync(work, { recursive: true, force: true });
});

type Host = { name: string; status: string };
const hostsOn = async (index: string): Promise<string[]> => {
  const r = await onWorker(index, "/api/v1/hosts?pageSize=100", { cookie });
  expect(r.status).toBe(200);
  return (JSON.parse(r.body) as { data: Host[] }).data.map((h) => `${h.name} ${h.status}`);
};

test("both workers answer, and both show the embedded host as the lead reads it", async () => {
  const seen = new Set<string>();
  for (let i = 0; i < 6; i++) seen.add((await request("/api/health")).worker ?? "none");
  expect([...seen].sort()).toEqual(["0", "1"]);
  await expect.poll(() => hostsOn("0"), { timeout: 30_000 }).toEqual(["simulated ok"]);
  await expect.poll(() => hostsOn("1"), { timeout: 30_000 }).toEqual(["simulated ok"]);
  // Every page renders on the mirroring worker too, with the VMs in it.
  const vms = await onWorker("1", "/vms", { cookie });
  expect(vms.status).toBe(200);
  expect(vms.body).toContain("data-domid=");
});

test("a real xenstore-write reaches the live streams of both workers", async () => {
  const streams = new Map<string, { text: () => string; close: () => void }>();
  for (let i = 0; i < 10 && streams.size < 2; i++) {
    await new Promise<void>((resolve, reject) => {
      const req = http.get({ host: "localhost", port: PORT, path: "/api/live", headers: { cookie }, agent: false }, (res) => {
        const w = String(res.headers["x-dmboard-worker"]);
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (c) => (text += c));
        if (streams.has(w)) req.destroy();
        else streams.set(w, { text: () => text, close: () => req.destroy() });
        resolve();
      });
      req.on("error", (e) => (streams.size >= 2 ? resolve() : reject(e)));
    });
  }
  expect([...streams.keys()].sort()).toEqual(["0", "1"]);
  try {
    await expect.poll(() => [...streams.values()].every((s) => s.text().includes("event: hello")), { timeout: 10_000 }).toBe(true);
    const before = [...streams.values()].map((s) => s.text().split("event: update").length);
    const vms = JSON.parse((await request("/api/v1/vms?pageSize=100", { headers: { cookie } })).body) as { data: { domid: number }[] };
    const domid = vms.data.find((v) => v.domid > 0)!.domid;
    const writer = simPaths(path.join(work, `instance-${PORT}`)).writerSocket;
    await xenstore(writer, "xenstore-write", `/local/domain/0/device-model/${domid}/state`, "running");
    await expect.poll(() => [...streams.values()].map((s, i) => s.text().split("event: update").length > before[i]), { timeout: 15_000 }).toEqual([true, true]);
  } finally {
    for (const s of streams.values()) s.close();
  }
});

test("the sign-in throttle counts attempts on both workers together", async () => {
  const answers: Answer[] = [];
  for (let i = 0; i < 12; i++) {
    answers.push(
      await request("/api/auth/sign-in/email", {
        method: "POST",
        headers: { "content-type": "application/json", origin: inst.url, "x-forwarded-for": "198.51.100.7" },
        body: JSON.stringify({ email: `nobody-${i}@example.org`, password: "not-the-password" }),
      }),
    );
  }
  expect(new Set(answers.map((a) => a.worker))).toEqual(new Set(["0", "1"]));
  // DMBOARD_SIGNIN_RATE_LIMIT's default: 10 a minute per address, whichever process answers.
  expect(answers.slice(0, 10).map((a) => a.status)).toEqual(Array(10).fill(401));
  expect(answers.slice(10).map((a) => a.status)).toEqual([429, 429]);
});

test("one scrape of /metrics adds up both workers; promtool accepts it", async () => {
  const scrape = async () => {
    const r = await request("/metrics", { headers: { authorization: `Bearer ${CLUSTER_METRICS_TOKEN}` } });
    expect(r.status).toBe(200);
    return r.body;
  };
  const count = (text: string) =>
    [...text.matchAll(/^dmboard_http_request_duration_seconds_count\{([^}]*)\} (\d+)/gm)]
      .filter((m) => m[1].includes('route="/api/health"'))
      .reduce((n, m) => n + Number(m[2]), 0);
  const before = count(await scrape());
  const workers = new Set<string>();
  for (let i = 0; i < 10; i++) workers.add(String((await request("/api/health")).worker));
  expect([...workers].sort()).toEqual(["0", "1"]);
  const text = await scrape();
  expect(count(text) - before).toBe(10);
  // A state both workers see is said once, not summed.
  expect(text).toMatch(/^dmboard_host_up\{host="simulated"\} 1$/m);
  const lint = spawnSync("promtool", ["check", "metrics"], { input: text, encoding: "utf8", timeout: 30_000 });
  expect(lint.status, lint.stdout + lint.stderr).toBe(0);
});

test("a worker that dies is started again and shows the live state at once", async () => {
  const pids = workerPids();
  expect([...pids.keys()].sort()).toEqual(["0", "1"]);
  process.kill(pids.get("1")!, "SIGKILL");
  await expect.poll(() => workerPids().get("1") ?? pids.get("1"), { timeout: 60_000 }).not.toBe(pids.get("1"));
  await expect.poll(() => hostsOn("1").catch(() => []), { timeout: 60_000 }).toEqual(["simulated ok"]);
});

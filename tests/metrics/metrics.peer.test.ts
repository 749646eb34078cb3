import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reportQuery } from "@/lib/db/observe";
import { observeCollectorRead, trackSseClient } from "@/lib/metrics/registry";
import { resetRoutes, routeOf, UNMATCHED } from "@/lib/metrics/routes";
import { scrape } from "@/lib/metrics/scrape";
import { startMetrics } from "@/lib/metrics/start";
import { checkMetricsToken, metricsSetting } from "@/lib/metrics/token";
import { APP_DIR, routeHandlers } from "../auth/app-tree";
import { promtool, sample } from "./promtool";

const TOKEN = "unit-test-metrics-token-42";

describe("the metrics token", () => {
  const env = (token?: string) => ({ ...process.env, DMBOARD_METRICS_TOKEN: token });
  const ask = (authz?: string, token: string | null = TOKEN) => checkMetricsToken(new Headers(authz ? { authorization: authz } : {}), env(token ?? undefined));

  it("is off unless set, and refuses a short one", () => {
    expect(metricsSetting(env(undefined))).toMatchObject({ on: false });
    expect(metricsSetting(env("short"))).toMatchObject({ on: false, error: true, reason: expect.stringMatching(/at least 16/) });
    expect(ask(`Bearer ${TOKEN}`, null)).toBe("off");
  });

  it("answers only the bearer of the exact token", () => {
    expect(ask(`Bearer ${TOKEN}`)).toBe("ok");
    expect(ask(`bearer   ${TOKEN}`)).toBe("ok");
    expect(ask()).toBe("denied");
    expect(ask(`Bearer ${TOKEN}x`)).toBe("denied");
    expect(ask(`Basic ${Buffer.from(`x:${TOKEN}`).toString("base64")}`)).toBe("denied");
    expect(ask(`Bearer ${TOKEN} extra`)).toBe("denied");
  });
});

describe("the metrics-token mode of the guard", () => {
  it("is used by /metrics alone: the token grants nothing else", () => {
    const users = routeHandlers()
      .filter((r) => /metricsToken:\s*true/.test(r.source))
      .map((r) => path.relative(APP_DIR, r.file));
    expect(users).toEqual(["metrics/route.ts"]);
  });
});

describe("route labels from the build's routes manifest", () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "dmboard-routes-"));
    fs.mkdirSync(path.join(dir, ".next"));
    fs.writeFileSync(
      path.join(dir, ".next", "routes-manifest.json"),
      JSON.stringify({
        staticRoutes: [
          { page: "/", regex: "^/(?:/)?$" },
          { page: "/meetings/new", regex: "^/meetings/new(?:/)?$" },
          { page: "/metrics", regex: "^/metrics(?:/)?$" },
        ],
        dynamicRoutes: [
          { page: "/api/auth/[...all]", regex: "^/api/auth/(.+?)(?:/)?$" },
          { page: "/meetings/[id]", regex: "^/meetings/([^/]+?)(?:/)?$" },
        ],
      }),
    );
    resetRoutes();
  });
  afterAll(() => {
    resetRoutes();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("groups paths by the route that served them, static before dynamic", () => {
    expect(routeOf("/meetings/cmx2abc?_rsc=1", dir)).toBe("/meetings/[id]");
    expect(routeOf("/meetings/new", dir)).toBe("/meetings/new");
    expect(routeOf("/api/auth/sign-in/email", dir)).toBe("/api/auth/[...all]");
    expect(routeOf("/", dir)).toBe("/");
    expect(routeOf("/_next/static/chunks/x.js", dir)).toBe("/_next/static");
    expect(routeOf("/wp-admin/setup.php", dir)).toBe(UNMATCHED);
    expect(routeOf(`/meetings/${"x/".repeat(5000)}`, dir)).toBe(UNMATCHED);
  });
});

describe("the /metrics text", () => {
  let server: http.Server;
  let text: string;
  beforeAll(async () => {
    process.env.DMBOARD_METRICS_TOKEN = TOKEN;
    // No build here (a directory without .next): every path is "(unmatched)", whether or not
    // this checkout has been built, so the labels below do not depend on the build's routes.
    resetRoutes();
    routeOf("/", os.tmpdir());
    startMetrics();
    // Real requests through Node's HTTP server: timed by the diagnostics channels.
    server = http.createServer((req, res) => {
      res.statusCode = req.url === "/missing" ? 404 : 200;
      res.end("ok");
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const port = (server.address() as { port: number }).port;
    for (const p of ["/", "/missing"]) await fetch(`http://127.0.0.1:${port}${p}`).then((r) => r.text());
    observeCollectorRead({ host: "dom0-a", outcome: "ok", durationMs: 120 });
    observeCollectorRead({ host: "dom0-a", outcome: "error", durationMs: 5000 });
    reportQuery(3.5, "sqlite");
    const closed = trackSseClient();
    trackSseClient();
    closed();
    closed(); // twice: counted once
    text = (await scrape()).body;
  });
  afterAll(async () => {
    delete process.env.DMBOARD_METRICS_TOKEN;
    await new Promise((r) => server.close(r));
  });

  it("passes Prometheus' own parser and linter (promtool check metrics)", () => {
    const r = promtool(text);
    expect(r.output).toBe("");
    expect(r.code).toBe(0);
  });

  it("has each series the issue asks for", () => {
    expect(sample(text, 'dmboard_http_request_duration_seconds_count{method="GET",route="(unmatched)",status="404"}')).toBe(1);
    expect(sample(text, 'dmboard_collector_reads_total{host="dom0-a",outcome="error"}')).toBe(1);
    expect(sample(text, 'dmboard_collector_read_duration_seconds_sum{host="dom0-a",outcome="ok"}')).toBeCloseTo(0.12);
    expect(sample(text, 'dmboard_db_query_duration_seconds_count{provider="sqlite"}')).toBeGreaterThanOrEqual(1);
    expect(sample(text, "dmboard_sse_clients")).toBe(1);
    expect(text).toMatch(/^# TYPE dmboard_host_up gauge$/m);
    expect(sample(text, "process_cpu_user_seconds_total")).toBeGreaterThan(0);
  });

  it("a broken promtool input is caught (the check can fail)", () => {
    expect(promtool(`${text}dmboard_broken{ 1\n`).code).not.toBe(0);
  });
});

import { spawnSync } from "node:child_process";
import { expect, test } from "@playwright/test";
import { E2E_METRICS_TOKEN } from "../playwright.config";
import { stateFor } from "./global-setup";

/**
 * /metrics on the running server: refused without the token, and with it a text that
 * Prometheus' own parser (promtool, Debian's prometheus package) accepts, holding what
 * this very test did: pages rendered, the simulated host read, a live stream open.
 */
const promtool = (text: string) => spawnSync("promtool", ["check", "metrics"], { input: text, encoding: "utf8", timeout: 30_000 });
const sample = (text: string, series: string) => {
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
};

test("without the token, /metrics is refused (and not sent to the sign-in page)", async ({ playwright, baseURL }) => {
  const anon = await playwright.request.newContext({ baseURL });
  for (const headers of [
    {} as Record<string, string>,
    { authorization: "Bearer not-the-token-at-all-0000" },
    { authorization: `Basic ${Buffer.from(`x:${E2E_METRICS_TOKEN}`).toString("base64")}` },
  ]) {
    const res = await anon.get("/metrics", { headers, maxRedirects: 0 });
    expect(res.status()).toBe(401);
    expect(res.headers()["www-authenticate"]).toMatch(/^Bearer/);
  }
  // A signed-in admin is no scraper either: the metrics token only.
  const admin = await playwright.request.newContext({ baseURL, storageState: stateFor("admin") });
  expect((await admin.get("/metrics", { maxRedirects: 0 })).status()).toBe(401);
  await anon.dispose();
  await admin.dispose();
});

test.describe("with the token", () => {
  test.use({ storageState: stateFor("viewer") });

  test("Prometheus' parser accepts the text, with request latencies by route, collector reads, hosts up, SSE clients and database latency", async ({
    page,
    playwright,
    baseURL,
  }) => {
    await page.goto("/meetings");
    await page.getByRole("link", { name: "QEMU XenServer/XenProject Working group meeting 10th May 2017", exact: true }).click();
    // The meeting's own heading (the list has one too): its request has been answered.
    await expect(page).toHaveURL(/\/meetings\/[^/?]+$/);
    await expect(page.getByRole("heading", { level: 1 })).toContainText("10th May 2017");
    await page.goto("/vms"); // opens a live stream (LiveRefresh) and keeps it open
    await expect(page.getByText("Live", { exact: true })).toBeVisible();
    const scraper = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { authorization: `Bearer ${E2E_METRICS_TOKEN}` } });
    let text = "";
    await expect
      .poll(async () => {
        const res = await scraper.get("/metrics");
        expect(res.status()).toBe(200);
        expect(res.headers()["content-type"]).toMatch(/^text\/plain; version=0\.0\.4/);
        text = await res.text();
        return sample(text, "dmboard_sse_clients") ?? 0;
      })
      .toBeGreaterThanOrEqual(1);
    const check = promtool(text);
    expect(check.error).toBeUndefined();
    expect(`${check.stdout}${check.stderr}`).toBe("");
    expect(check.status).toBe(0);

    expect(sample(text, 'dmboard_http_request_duration_seconds_count{method="GET",route="/meetings/[id]",status="200"}')).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'dmboard_http_request_duration_seconds_count{method="GET",route="/meetings",status="200"}')).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'dmboard_collector_reads_total{host="simulated",outcome="ok"}')).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'dmboard_collector_read_duration_seconds_count{host="simulated",outcome="ok"}')).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'dmboard_host_up{host="simulated"}')).toBe(1);
    expect(sample(text, 'dmboard_db_query_duration_seconds_count{provider="sqlite"}')).toBeGreaterThan(10);
    // Paths are grouped by route: no meeting id appears as a label.
    expect(text).not.toMatch(/route="\/meetings\/c[a-z0-9]{20,}"/);
    await scraper.dispose();
  });
});

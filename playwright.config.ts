import os from "node:os";
import path from "node:path";
import { defineConfig } from "@playwright/test";

// The e2e server runs on its own port and data directory, seeded with the demo data
// and a known password; the embedded simulated Xen host is part of it.
export const E2E_PORT = Number(process.env.E2E_PORT || 3100);
export const E2E_DATA_DIR = process.env.E2E_DATA_DIR || path.join(os.tmpdir(), `dmboard-e2e-${E2E_PORT}`);
export const E2E_PASSWORD = "e2e-demo-password";
/** /metrics is on in the e2e server, so the route × role test sees it refuse visitors. */
export const E2E_METRICS_TOKEN = "e2e-metrics-token-0123456789abcdef";

export default defineConfig({
  testDir: "./e2e",
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: process.env.CI ? [["list"]] : [["list"]],
  globalSetup: "./e2e/global-setup.ts",
  globalTeardown: "./e2e/global-teardown.ts",
  use: {
    baseURL: `http://localhost:${E2E_PORT}`,
    trace: "off",
    launchOptions: {
      executablePath: "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
    },
  },
  webServer: {
    // scripts/test.mjs builds first; `rm -rf` gives every run an empty database.
    command: `rm -rf ${E2E_DATA_DIR} && node --import tsx scripts/start.ts`,
    url: `http://localhost:${E2E_PORT}/api/health`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: "ignore",
    stderr: "pipe",
    env: {
      PORT: String(E2E_PORT),
      DMBOARD_DATA_DIR: E2E_DATA_DIR,
      DMBOARD_DEMO_PASSWORD: E2E_PASSWORD,
      DMBOARD_SIM_VMS: "30",
      DMBOARD_SIM_CHANGE_MS: "0",
      DMBOARD_METRICS_TOKEN: E2E_METRICS_TOKEN,
      DATABASE_URL: "",
      NEXT_TELEMETRY_DISABLED: "1",
      LOG_LEVEL: "warn",
    },
  },
});

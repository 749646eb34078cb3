import fs from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { E2E_DATA_DIR } from "../playwright.config";
import { stateFor } from "./global-setup";

/**
 * The embedded default backs itself up: the e2e server (SQLite in its data directory,
 * default settings) writes its first scheduled backup shortly after it starts, and the
 * admin page shows that backup's time and size.
 */
test.use({ storageState: stateFor("admin") });

test("the admin page shows the last scheduled backup's time and size", async ({ page }) => {
  const dir = path.join(E2E_DATA_DIR, "backups");
  await expect
    .poll(() => (fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith(".jsonl.gz")).length : 0), { timeout: 60_000 })
    .toBeGreaterThanOrEqual(1);
  const [name] = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".jsonl.gz"))
    .sort()
    .reverse();
  const file = path.join(dir, name);
  expect(fs.statSync(file).mode & 0o777).toBe(0o600);

  await page.goto("/admin");
  const panel = page.getByTestId("backup-status");
  await expect(panel.getByRole("heading", { name: "Backups" })).toBeVisible();
  await expect(panel).toContainText("Every 1 d, keeping 7");
  await expect(panel.getByTestId("last-backup")).toContainText(name);
  const stamp = name.slice("dmboard-".length, "dmboard-".length + 16); // 20261130T080227Z
  const when = `${stamp.slice(0, 4)}-${stamp.slice(4, 6)}-${stamp.slice(6, 8)} ${stamp.slice(9, 11)}:${stamp.slice(11, 13)}:${stamp.slice(13, 15)} UTC`;
  await expect(panel.getByTestId("last-backup")).toContainText(when);
  const kib = (fs.statSync(file).size / 1024).toFixed(1);
  await expect(panel.getByTestId("last-backup-size")).toHaveText(`${kib} KiB`);
});

test.describe("a viewer", () => {
  test.use({ storageState: stateFor("viewer") });
  test("does not see the admin page", async ({ page }) => {
    await page.goto("/admin");
    await expect(page).toHaveURL(/\/forbidden/);
  });
});

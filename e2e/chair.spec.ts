import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import ICAL from "ical.js";
import { expect, test } from "@playwright/test";
import { E2E_DATA_DIR } from "../playwright.config";
import { stateFor } from "./global-setup";

/**
 * The chair's loop in the browser: a schedule and the dashboard's next meeting, a
 * calendar feed a client without a session reads, the agenda (edited, copied,
 * downloaded, and the meeting started from it), and an item closed on the fleet's
 * evidence. The tests run in order and build on each other.
 */
test.describe.configure({ mode: "serial" });

const SERIES = "QEMU XenServer/XenProject Working group";
const NEW_ITEM = "Chair to retire the e2e dependency from the fleet.";
const dbFile = path.join(E2E_DATA_DIR, "dmboard.db");

/** The next Wednesday from today (UTC), as YYYY-MM-DD: the schedule's first meeting. */
function nextWednesday(): string {
  const d = new Date();
  d.setUTCDate(d.getUTCDate() + ((3 - d.getUTCDay() + 7) % 7 || 7));
  return d.toISOString().slice(0, 10);
}
const FIRST = nextWednesday();

test.describe("an editor sets the series' schedule", () => {
  test.use({ storageState: stateFor("editor") });

  test("every second Wednesday at 15:00 London time; the calendar page and the dashboard show the next meeting", async ({ page }) => {
    await page.goto("/calendar");
    const section = page.locator("section[data-series=qemu-wg]");
    await expect(section).toContainText("No schedule yet.");
    const form = section.getByRole("form", { name: `Schedule of ${SERIES}` });
    await form.getByLabel("Repeats").selectOption("weekly");
    await form.getByLabel("Every … weeks").fill("2");
    await form.getByLabel("Weekday").selectOption("3");
    await form.getByLabel("Time", { exact: true }).fill("15:00");
    await form.getByLabel("Time zone").fill("Europe/Londn");
    await form.getByLabel("First meeting on or after").fill(FIRST);
    await form.getByRole("button", { name: "Set the schedule" }).click();
    await expect(form.getByText("Enter an IANA time zone such as Europe/London or UTC")).toBeVisible();
    await form.getByLabel("Time zone").fill("Europe/London");
    await form.getByRole("button", { name: "Set the schedule" }).click();
    await expect(section).toContainText("Meets every second Wednesday at 15:00 Europe/London.");
    const next = section.getByRole("list", { name: `Next meetings of ${SERIES}` });
    await expect(next.locator(`li[data-occurrence="${FIRST}"]`)).toContainText(/Wednesday .* 15:00 (GMT|BST)/);

    await page.goto("/");
    const card = page.getByTestId("next-meeting");
    await expect(card).toContainText(SERIES);
    await expect(card).toContainText("15:00");
    await expect(card.getByRole("link", { name: "Agenda" })).toHaveAttribute("href", `/agenda?series=qemu-wg&date=${FIRST}`);
  });
});

test.describe("a viewer subscribes from a calendar client", () => {
  test.use({ storageState: stateFor("viewer") });

  test("the feed URL works without a session, is read by a real iCalendar parser, opens nothing else, and stops when revoked", async ({
    page,
    playwright,
    baseURL,
  }) => {
    await page.goto("/calendar");
    await page.getByRole("button", { name: "Create my feed URLs" }).click();
    const url = await page.getByTestId("feed-url").first().inputValue();
    expect(url).toMatch(/\/api\/calendar\/qemu-wg\/feed\.ics\?token=dmf_/);
    const token = new URL(url).searchParams.get("token")!;

    // A calendar client: no session cookie at all.
    const client = await playwright.request.newContext({ baseURL, storageState: { cookies: [], origins: [] } });
    expect((await client.storageState()).cookies).toEqual([]);
    const res = await client.get(url);
    expect(res.status()).toBe(200);
    expect(res.headers()["content-type"]).toContain("text/calendar");
    const cal = new ICAL.Component(ICAL.parse(await res.text()));
    const event = cal.getFirstSubcomponent("vevent")!;
    expect(event.getFirstProperty("dtstart")!.getParameter("tzid")).toBe("Europe/London");
    expect(String(event.getFirstPropertyValue("rrule"))).toBe("FREQ=WEEKLY;INTERVAL=2;BYDAY=WE");
    expect(String(event.getFirstPropertyValue("url"))).toMatch(/\/agenda\?series=qemu-wg$/);

    expect((await client.get("/api/calendar/qemu-wg/feed.ics")).status()).toBe(401);
    expect((await client.get(`/api/calendar/qemu-wg/feed.ics?token=dmf_${"x".repeat(43)}`)).status()).toBe(401);
    // A feed token is no API token.
    expect((await client.get(`/api/v1/meetings?token=${token}`)).status()).toBe(401);
    expect((await client.get("/api/v1/meetings", { headers: { Authorization: `Bearer ${token}` } })).status()).toBe(401);

    await page.reload();
    await expect(page.getByText(`Your feed token starts with ${token.slice(0, 10)}…`)).toBeVisible();
    await page.getByRole("button", { name: "Revoke my feed token" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Revoked" })).toBeVisible();
    expect((await client.get(url)).status()).toBe(401);
    await client.dispose();
  });
});

test.describe("the chair's agenda", () => {
  test.use({ storageState: stateFor("editor"), permissions: ["clipboard-read", "clipboard-write"] });

  test("items by owner and topics; the text is edited, copied and downloaded; the meeting started from it reviews its items first", async ({ page }) => {
    await page.goto("/agenda");
    await expect(page.getByRole("heading", { level: 2, name: /^Agenda: QEMU XenServer\/XenProject Working group meeting/ })).toBeVisible();
    await expect(page.locator("p").filter({ hasText: /^When: Wednesday .* 15:00 (GMT|BST) \(Europe\/London\)$/ })).toBeVisible();
    const review = page.getByRole("region", { name: "Review of previous action points" });
    await expect(review.getByRole("region", { name: "Items of Igor Druzhinin" })).toContainText("new mem map function");
    await expect(review.getByRole("region", { name: "Items of Andrew Cooper" })).toContainText("Last reviewed 2017-05-10: No progress");
    const topics = page.getByRole("region", { name: "Topics" });
    await expect(topics.locator("[data-agenda-topic=physmap-keys] [data-measure=physmap]")).toContainText(/physmap \(VRAM physmap records\): \d+ VMs?/);
    // The simulated host's unclassified keys, recorded from the collector's reads since the server started.
    await expect(topics.locator("[data-agenda-topic=xenstore-removal] [data-measure=unclassified]")).toContainText(/unclassified XenStore uses: \d+ keys?/);

    const text = page.getByLabel("Plain text for the list");
    const generated = await text.inputValue();
    expect(generated).toMatch(/^Agenda: QEMU XenServer\/XenProject Working group meeting .*\n=+\n/);
    expect(generated).toContain("\nReview of previous action points\n");
    await text.fill(`${generated}\nAOB: Xen Summit travel.\n`);

    await page.getByRole("button", { name: "Copy text" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Copied" })).toBeVisible();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toContain("AOB: Xen Summit travel.");

    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Download .txt" }).click()]);
    expect(download.suggestedFilename()).toMatch(/^\d{4}-\d{2}-\d{2}-qemu-wg-agenda\.txt$/);
    const saved = fs.readFileSync((await download.path())!, "utf8");
    expect(saved).toBe(`${generated}\nAOB: Xen Summit travel.\n`);

    await page.getByRole("button", { name: "Start again" }).click();
    await expect(text).toHaveValue(generated);

    // Start the meeting from the agenda: its day, its items first, by owner.
    const first = await review.locator("li[data-agenda-item] a").first().textContent();
    await page.getByRole("link", { name: "Start this meeting from the agenda" }).click();
    await expect(page).toHaveURL(/\/meetings\/new\?series=qemu-wg&agenda=\d{4}-\d{2}-\d{2}$/);
    await expect(page.getByRole("status").filter({ hasText: /From the agenda of .*: the review starts with its \d+ items/ })).toBeVisible();
    const guided = page.getByRole("region", { name: /Review of open action items/ });
    await expect(guided.getByRole("group").first()).toContainText(first!.trim());
    await expect(page.getByLabel("Date", { exact: true })).toHaveValue(FIRST);
    await page.getByLabel("New action items", { exact: true }).fill(`Igor: ${NEW_ITEM}`);
    await page.getByRole("button", { name: "Create meeting" }).click();
    await expect(page).toHaveURL(/\/meetings\/[a-z0-9]+$/);
    await expect(page.getByRole("region", { name: /Action items/ })).toContainText(NEW_ITEM);
  });
});

test.describe("an item closed on the fleet's evidence", () => {
  test.use({ storageState: stateFor("editor") });

  test("the editor links the dependency, sees the evidence, and closes the item in one step; the evidence stays in its history", async ({ page }) => {
    // A week of history the fresh e2e server cannot have, written as the collector and the
    // seed write it: a blocker rule for a key the simulated host (which has every
    // reference blocker) never had, in place for a week; and hourly good reads of every
    // enabled host up to the live reads, none with it.
    const rule = "e2e-retired";
    const db = new Database(dbFile);
    try {
      const at = (ms: number) => new Date(ms).toISOString().replace("Z", "+00:00");
      const now = Date.now();
      const topic = (db.prepare(`SELECT id FROM "Topic" WHERE slug = 'xenstore-removal'`).get() as { id: string }).id;
      db.prepare(
        `INSERT INTO "XsRule" (id, key, pattern, dependency, description, severity, topicId, position, enabled, version, updatedAt) VALUES (?, ?, ?, ?, ?, 'blocker', ?, 100000, 1, 1, ?)`,
      ).run(
        `e2e${randomBytes(8).toString("hex")}`,
        rule,
        "/local/domain/<g>/e2e-retired-key",
        "e2e: a key no VM writes any more",
        "A dependency retired before the test began.",
        topic,
        at(now - 8 * 24 * 3600_000),
      );
      const hosts = db.prepare(`SELECT id FROM "Host" WHERE enabled = 1`).all() as { id: string }[];
      expect(hosts.length).toBeGreaterThan(0);
      const insert = db.prepare(`INSERT INTO "HostSample" (id, hostId, takenAt, ok, vmCount, deprivCount, dependencies) VALUES (?, ?, ?, 1, 30, 0, '{}')`);
      for (const h of hosts)
        for (let t = now - 9 * 24 * 3600_000; t < now - 5 * 60_000; t += 3600_000) insert.run(`e2e${randomBytes(8).toString("hex")}`, h.id, at(t));
    } finally {
      db.close();
    }

    await page.goto(`/items?q=${encodeURIComponent(NEW_ITEM.slice(0, 30))}`);
    await page
      .getByRole("link", { name: `Igor: ${NEW_ITEM}` })
      .first()
      .click();
    const panel = page.getByRole("region", { name: "Evidence from the fleet" });
    await expect(panel).toContainText("No dependency linked");
    await panel.getByLabel("Dependency it retires").selectOption(rule);
    await panel.getByRole("button", { name: "Link" }).click();
    await expect(panel.locator(`[data-linked-rule="${rule}"]`)).toBeVisible();
    await expect(panel.locator("[data-evidence=free]")).toHaveText("Fleet: ready to close");
    await expect(panel.getByTestId("evidence-summary")).toContainText("gone from every VM on");
    await expect(panel.getByRole("table", { name: "Hosts covered" })).toContainText("simulated");
    await expect(panel).toContainText("First read without it:");

    // The agenda says so too.
    await page.goto("/agenda");
    await expect(page.locator("li[data-agenda-item]").filter({ hasText: NEW_ITEM }).locator("[data-evidence=free]")).toBeVisible();
    await expect(page.getByLabel("Plain text for the list")).toHaveValue(/ready to close/);

    await page.goBack();
    await page.getByRole("button", { name: "Close as done on this evidence" }).click();
    await expect(page.locator("main header").getByTestId("status")).toHaveText("Done");
    await expect(page.getByTestId("kept-evidence")).toContainText("Closed on the fleet's evidence by editor@dmboard.local");
    await expect(page.getByRole("table", { name: "Change history" })).toContainText("closed as done on the fleet's evidence");
    await expect(page.getByRole("button", { name: "Close as done on this evidence" })).toHaveCount(0);
  });
});

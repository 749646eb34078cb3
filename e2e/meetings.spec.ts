import fs from "node:fs";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { stateFor } from "./global-setup";
import { openForm, openNewMeeting } from "./fixtures/forms";

/**
 * Meetings in the browser, on the demo data (the 10 May 2017 meeting and its items):
 * create with the guided review, search, concurrent edits, and what a viewer may not do.
 */
const DEMO_TITLE = "QEMU XenServer/XenProject Working group meeting 10th May 2017";

async function demoMeetingUrl(page: Page): Promise<string> {
  await page.goto("/meetings");
  await page.getByRole("link", { name: DEMO_TITLE, exact: true }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(DEMO_TITLE);
  return new URL(page.url()).pathname;
}

test.describe("an editor", () => {
  test.use({ storageState: stateFor("editor") });

  test("gets clear messages next to bad fields, keeping what was typed", async ({ page }) => {
    await openNewMeeting(page);
    await page.getByLabel("Title", { exact: true }).fill("x");
    await page.getByLabel(/^Source URL/).fill("javascript:alert(1)");
    await page.getByLabel("Minutes (Markdown)", { exact: true }).fill("kept text");
    await page.getByRole("button", { name: "Create meeting" }).click();
    await expect(page.locator("#f-title-error")).toHaveText("At least 3 characters");
    await expect(page.getByLabel("Title", { exact: true })).toHaveAttribute("aria-describedby", /f-title-error/);
    await expect(page.getByLabel("Title", { exact: true })).toHaveAttribute("aria-invalid", "true");
    await expect(page.locator("#f-sourceUrl-error")).toContainText("http:// or https:// URL");
    await expect(page.getByLabel("Minutes (Markdown)", { exact: true })).toHaveValue("kept text");
    await expect(page).toHaveURL(/\/meetings\/new$/);
  });

  test("creates a meeting with attendees on the fly and the guided review of the open items", async ({ page }) => {
    await page.goto("/meetings");
    await page.getByRole("link", { name: "New meeting" }).click();
    await expect(page.getByRole("heading", { name: "New meeting" })).toBeVisible();

    await page.getByLabel("Date", { exact: true }).fill("2017-05-24");
    await page.getByLabel("Title", { exact: true }).fill("QEMU WG meeting 24th May 2017");
    const attendees = page.getByRole("combobox", { name: "Attendees" });
    await attendees.fill("Jenny"); // an alias: recognised as Jenny Herbert
    await attendees.press("Enter");
    await attendees.fill("Ian Jackson, Wei Liu"); // two at once; Wei Liu is new
    await page.getByRole("button", { name: "Add attendee" }).click();
    const chips = page.getByRole("list", { name: "Chosen attendees" });
    await expect(chips).toContainText("Jenny Herbert");
    await expect(chips).toContainText("Ian Jackson");
    await expect(chips.getByRole("listitem").filter({ hasText: "Wei Liu" })).toContainText("(new)");
    await page.getByLabel("Physmap keys").check();

    // Live preview renders the Markdown as typed.
    await page.getByLabel("Minutes (Markdown)", { exact: true }).fill("Igor posted the **physmap** RFC.\n\nThe quokka mechanism was agreed.");
    await expect(page.getByRole("region", { name: "Minutes (Markdown): preview" }).locator("strong")).toHaveText("physmap");

    // Guided review: the 10 May meeting's open items are all offered.
    const review = page.getByRole("region", { name: /Review of open action items/ });
    for (const text of [
      /dm-op sub ops/,
      /new mem map function/,
      /FD for QMP CD insert and emulated hotplug, as well as splitting/,
      /internal jira tickets/,
      /look over Ian's patch series/,
    ]) {
      await expect(review.getByRole("group", { name: text })).toBeVisible();
    }
    const item = (name: RegExp) => review.getByRole("group", { name });
    await item(/dm-op sub ops/)
      .getByLabel("Done", { exact: true })
      .check();
    await item(/new mem map function/)
      .getByLabel("Progress", { exact: true })
      .check();
    await item(/new mem map function/)
      .getByLabel("Note")
      .fill("RFC posted to xen-devel");
    await item(/internal jira tickets/)
      .getByLabel("Dropped", { exact: true })
      .check();
    await item(/look over Ian's patch series/)
      .getByLabel("No progress", { exact: true })
      .check();
    await item(/look over Ian's patch series/)
      .getByLabel("Note")
      .fill("feature freeze");
    const section = page.getByRole("region", { name: "Reviewed previous action points: preview" });
    await expect(section).toContainText("Andrew to double check dm-op sub ops for continuation support — Done.");
    await expect(section).toContainText("— Progress: RFC posted to xen-devel");

    await page.getByLabel("New action items", { exact: true }).fill("Wei Liu to review the quokka RFC.");
    await page.getByRole("button", { name: "Create meeting" }).click();

    await expect(page).toHaveURL(/\/meetings\/[a-z0-9]+$/);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("QEMU WG meeting 24th May 2017");
    await expect(page.getByRole("region", { name: /Attendees/ })).toContainText("Wei Liu");
    await expect(page.getByRole("region", { name: "Minutes" }).locator("strong")).toHaveText("physmap");
    const reviewed = page.getByRole("region", { name: "Reviewed previous action points" });
    const row = (text: RegExp) => reviewed.getByRole("row").filter({ hasText: text });
    await expect(row(/dm-op sub ops/)).toContainText("Done");
    await expect(
      row(/new mem map function/)
        .getByRole("cell")
        .nth(2),
    ).toHaveText("Progress");
    await expect(
      row(/new mem map function/)
        .getByRole("cell")
        .nth(4),
    ).toHaveText("In progress");
    await expect(
      row(/internal jira tickets/)
        .getByRole("cell")
        .nth(4),
    ).toHaveText("Dropped");
    await expect(
      row(/look over Ian's patch series/)
        .getByRole("cell")
        .nth(4),
    ).toHaveText("Open");
    await expect(page.getByRole("region", { name: /Action items/ })).toContainText("Wei Liu to review the quokka RFC.");

    // The next meeting's review: closed items are gone, the new one is there.
    await openNewMeeting(page);
    const next = page.getByRole("region", { name: /Review of open action items/ });
    await expect(next.getByRole("group", { name: /quokka RFC/ })).toBeVisible();
    await expect(next.getByRole("group", { name: /new mem map function/ })).toContainText("RFC posted to xen-devel");
    await expect(next.getByRole("group", { name: /dm-op sub ops/ })).toHaveCount(0);
    await expect(next.getByRole("group", { name: /internal jira tickets/ })).toHaveCount(0);
  });

  test("search finds a phrase from the minutes, highlighted", async ({ page }) => {
    await page.goto("/meetings");
    await page.getByRole("searchbox", { name: "Search minutes and action items" }).fill('"shared page"');
    await page.getByRole("searchbox", { name: "Search minutes and action items" }).press("Enter");
    await expect(page).toHaveURL(/q=%22shared\+page%22/);
    const results = page.getByRole("list", { name: "Meetings" });
    await expect(results.getByRole("link", { name: DEMO_TITLE })).toBeVisible();
    const snippet = results.getByTestId("snippet").first();
    await expect(snippet).toContainText("shared page");
    await expect(snippet.locator("mark").first()).toHaveText(/shared/i);
    // Items are searched through the same interface.
    await page.goto("/meetings?q=physmap");
    await expect(
      page
        .getByRole("region", { name: /Action items matching/ })
        .getByTestId("item-snippet")
        .first()
        .locator("mark")
        .first(),
    ).toHaveText(/physmap/i);
    // A word that is nowhere: nothing, no error.
    await page.goto("/meetings?q=zzyzxnotthere");
    await expect(page.getByText("No meetings match.")).toBeVisible();
  });

  test("concurrent edits: the second save is refused with both versions side by side, nothing lost", async ({ browser }) => {
    const a = await browser.newContext({ storageState: stateFor("editor") });
    const b = await browser.newContext({ storageState: stateFor("editor") });
    const pa = await a.newPage();
    const pb = await b.newPage();
    const url = await demoMeetingUrl(pa);
    await openForm(pa, `${url}/edit`, "Save meeting");
    await openForm(pb, `${url}/edit`, "Save meeting");

    await pa.getByLabel("Title", { exact: true }).fill(`${DEMO_TITLE} (A)`);
    await pb.getByLabel("Title", { exact: true }).fill(`${DEMO_TITLE} (B)`);
    const bBody = `${await pb.getByLabel("Minutes (Markdown)", { exact: true }).inputValue()}\n\nB's paragraph about the wombat.`;
    await pb.getByLabel("Minutes (Markdown)", { exact: true }).fill(bBody);

    await pa.getByRole("button", { name: "Save meeting" }).click();
    await expect(pa).toHaveURL(new RegExp(`${url}$`));
    await expect(pa.getByRole("heading", { level: 1 })).toHaveText(`${DEMO_TITLE} (A)`);

    await pb.getByRole("button", { name: "Save meeting" }).click();
    const conflict = pb.getByRole("alert").filter({ hasText: "Someone else saved this meeting while you were editing" });
    await expect(conflict).toBeVisible();
    await expect(conflict.getByTestId("theirs-Title")).toHaveText(`${DEMO_TITLE} (A)`);
    await expect(conflict.getByTestId("yours-Title")).toHaveText(`${DEMO_TITLE} (B)`);
    await expect(conflict.getByTestId("yours-Minutes")).toContainText("wombat");
    await expect(conflict.getByTestId("theirs-Minutes")).not.toContainText("wombat");
    await expect(conflict).toContainText("editor@dmboard.local");
    // B's edit is still in the form, and the stored meeting is A's.
    await expect(pb.getByLabel("Title", { exact: true })).toHaveValue(`${DEMO_TITLE} (B)`);
    await expect(pb.getByLabel("Minutes (Markdown)", { exact: true })).toHaveValue(bBody);
    await pa.reload();
    await expect(pa.getByRole("heading", { level: 1 })).toHaveText(`${DEMO_TITLE} (A)`);

    // B re-applies on top of A's version.
    await conflict.getByRole("button", { name: /Keep my version/ }).click();
    await expect(pb.getByRole("status")).toContainText("Saving now replaces version");
    await pb.getByRole("button", { name: "Save meeting" }).click();
    await expect(pb).toHaveURL(new RegExp(`${url}$`));
    await expect(pb.getByRole("heading", { level: 1 })).toHaveText(`${DEMO_TITLE} (B)`);
    await expect(pb.getByRole("region", { name: "Minutes" })).toContainText("wombat");

    // Put the title back for the other tests.
    await openForm(pa, `${url}/edit`, "Save meeting");
    await pa.getByLabel("Title", { exact: true }).fill(DEMO_TITLE);
    await pa.getByRole("button", { name: "Save meeting" }).click();
    await expect(pa.getByRole("heading", { level: 1 })).toHaveText(DEMO_TITLE);
    await a.close();
    await b.close();
  });
});

test.describe("a viewer", () => {
  test.use({ storageState: stateFor("viewer") });

  test("reads and exports a meeting but cannot edit it", async ({ page, baseURL }) => {
    const url = await demoMeetingUrl(page);
    await expect(page.getByRole("region", { name: "Reviewed previous action points" })).toContainText("feature freeze");
    await expect(page.getByRole("link", { name: "Edit" })).toHaveCount(0);
    await expect(page.getByRole("link", { name: "New meeting" })).toHaveCount(0);

    const md = await page.request.get(`/api/meetings/${url.split("/").pop()}/markdown`);
    expect(md.status()).toBe(200);
    expect(md.headers()["content-type"]).toContain("text/markdown");
    const text = await md.text();
    expect(text).toContain(`# ${DEMO_TITLE}`);
    expect(text).toContain("## Reviewed previous action points");

    await page.goto(`${url}/edit`);
    await expect(page).toHaveURL(/\/forbidden\?need=editor/);
    await page.goto("/meetings/new");
    await expect(page).toHaveURL(/\/forbidden\?need=editor/);

    // The server action itself refuses, whatever the page shows.
    const manifest = JSON.parse(fs.readFileSync(path.join(import.meta.dirname, "..", ".next", "server", "server-reference-manifest.json"), "utf8"));
    const entry = Object.entries(manifest.node as Record<string, { exportedName: string }>).find(([, e]) => e.exportedName === "updateMeetingAction");
    expect(entry, "updateMeetingAction in the build").toBeTruthy();
    const res = await page.request.post(`${baseURL}${url}/edit`, {
      headers: { "Next-Action": entry![0], "Content-Type": "text/plain;charset=UTF-8", Accept: "text/x-component" },
      data: JSON.stringify([{ id: url.split("/").pop(), version: 99, seriesId: "x", date: "2017-05-10", title: "Hacked by a viewer" }]),
      maxRedirects: 0,
    });
    expect(await res.text()).toContain('"code":"FORBIDDEN"');
    await page.goto(url);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(DEMO_TITLE);
  });
});

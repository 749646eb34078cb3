import fs from "node:fs";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { stateFor } from "./global-setup";
import { openNewMeeting } from "./fixtures/forms";

/**
 * Issue 13, "what a new member stumbles on": data that used to be stored wrong without a
 * word, and meetings that could not be completed once created. Each test fails on the
 * old behaviour. The specs share one server and its demo data, so these tests work on
 * meetings and items of their own (dates in 2031) and leave the demo items as they were.
 */
const SERIES = "QEMU XenServer/XenProject Working group";
const A_TITLE = "Flow e2e meeting A";
const B_TITLE = "Flow e2e meeting B";
const FIRST_ITEM = "Flora Flowers to test the flow end to end.";

async function openItem(page: Page, text: string) {
  await page.goto(`/items?q=${encodeURIComponent(text.split(" ").slice(0, 4).join(" "))}&status=open,in_progress,blocked,done,dropped`);
  await page.getByRole("link", { name: text, exact: true }).first().click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(text);
}

async function meetingUrl(page: Page, title: string): Promise<string> {
  await page.goto("/meetings");
  await page.getByRole("link", { name: title, exact: true }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(title);
  return new URL(page.url()).pathname;
}

test.describe.serial("a new member, as an editor", () => {
  test.use({ storageState: stateFor("editor") });

  test("1. a new meeting's title follows the Date field until the title is edited", async ({ page }) => {
    await openNewMeeting(page);
    const title = page.getByLabel("Title", { exact: true });
    await expect(title).toHaveValue(new RegExp(`^${SERIES} meeting \\d{4}-\\d{2}-\\d{2}$`));
    await page.getByLabel("Date", { exact: true }).fill("2017-05-24");
    await expect(title).toHaveValue(`${SERIES} meeting 2017-05-24`);
    await page.getByLabel("Date", { exact: true }).fill("2017-06-07");
    await expect(title).toHaveValue(`${SERIES} meeting 2017-06-07`);
    // Once the user writes a title, the date no longer touches it.
    await title.fill("Our own title");
    await page.getByLabel("Date", { exact: true }).fill("2017-06-21");
    await expect(title).toHaveValue("Our own title");
  });

  test("4. an attendee typed but not added is added on save; items created in a meeting get its topics", async ({ page }) => {
    await openNewMeeting(page);
    await page.getByLabel("Date", { exact: true }).fill("2031-01-07");
    await page.getByLabel("Title", { exact: true }).fill(A_TITLE);
    await page.getByRole("combobox", { name: "Attendees" }).fill("Flora Flowers"); // typed, never added
    await expect(page.getByText("A name typed but not added is added when the meeting is saved.")).toBeVisible();
    await page.getByLabel("Physmap keys").check();
    await page.getByLabel("New action items", { exact: true }).fill(FIRST_ITEM);
    await page.getByRole("button", { name: "Create meeting" }).click();

    await expect(page).toHaveURL(/\/meetings\/[a-z0-9]+$/);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(A_TITLE);
    await expect(page.getByRole("region", { name: /Attendees/ })).toContainText("Flora Flowers");

    await openItem(page, FIRST_ITEM);
    const header = page.locator("main header");
    await expect(header.getByRole("link", { name: "Physmap keys" })).toBeVisible();
    // 6 (smaller): the timeline starts with the meeting that created the item.
    const timeline = page.getByRole("list", { name: "Reviews across meetings" });
    await expect(timeline.locator("[data-timeline=created]")).toContainText(A_TITLE);
    await expect(timeline.locator("[data-timeline=created]")).toContainText("Created in this meeting");
    // And the topic's page lists it.
    await header.getByRole("link", { name: "Physmap keys" }).click();
    await expect(page.getByRole("main")).toContainText(FIRST_ITEM);
  });

  test("2. a target given as YYYY-MM-DD sets the due date; 'Overdue only' then finds the item", async ({ page }) => {
    await openItem(page, FIRST_ITEM);
    const form = page.getByRole("form", { name: "Edit action item" });
    await form.getByLabel("Target", { exact: true }).fill("2017-09-30");
    await form.getByRole("button", { name: "Save item" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Saved" })).toBeVisible();
    const header = page.locator("main header");
    await expect(header).toContainText("Target: 2017-09-30");
    await expect(header).toContainText("Due: 2017-09-30");
    await expect(form.getByLabel("Due date", { exact: true })).toHaveValue("2017-09-30");

    await page.goto("/items");
    const filters = page.getByRole("search", { name: "Filter action items" });
    await filters.getByLabel("Overdue only").check();
    await filters.getByRole("button", { name: "Apply filters" }).click();
    await expect(page).toHaveURL(/overdue=1/);
    await expect(page.getByRole("link", { name: FIRST_ITEM, exact: true })).toBeVisible();
  });

  test("5. a meeting's edit page completes it: action items with target, due date and link; review outcomes changed, the timeline following", async ({
    page,
  }) => {
    const a = await meetingUrl(page, A_TITLE);
    await page.goto(`${a}/edit`);
    const add = page.getByRole("form", { name: "Add an action item" });
    await add.getByLabel("Action item", { exact: true }).fill("Flora Flowers to post the flow series");
    await add.getByLabel("Target", { exact: true }).fill("2031-03-01");
    await add.getByLabel("Link URL").fill("https://lists.xenproject.org/archives/html/xen-devel/2031-01/msg00001.html");
    await add.getByLabel("Link title").fill("[PATCH] flow series");
    await add.getByRole("button", { name: "Add action item" }).click();
    await expect(add.getByRole("status")).toContainText("Added.");
    await add.getByRole("link", { name: "Open the new item" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Flora Flowers to post the flow series");
    const header = page.locator("main header");
    await expect(header).toContainText("Target: 2031-03-01");
    await expect(header).toContainText("Due: 2031-03-01");
    await expect(header.getByRole("link", { name: "Flora Flowers" })).toBeVisible();
    await expect(header.getByRole("link", { name: "Physmap keys" })).toBeVisible();
    await expect(page.getByRole("link", { name: "[PATCH] flow series" })).toBeVisible();
    await expect(header.getByRole("link", { name: A_TITLE })).toBeVisible();

    // A later meeting, created without reviewing; its review is completed afterwards.
    await openNewMeeting(page);
    await page.getByLabel("Date", { exact: true }).fill("2031-01-14");
    await page.getByLabel("Title", { exact: true }).fill(B_TITLE);
    await page.getByRole("button", { name: "Create meeting" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(B_TITLE);
    await page.getByRole("link", { name: "Edit", exact: true }).click();
    const review = page.getByRole("form", { name: "Review of action items" });
    const item = review.getByRole("group", { name: /Flora Flowers to test the flow/ });
    await item.getByLabel("Done", { exact: true }).check();
    await item.getByLabel("Note").fill("Tested in CI");
    await review.getByRole("button", { name: "Save review" }).click();
    await expect(review.getByRole("status")).toContainText("Review saved: 1 recorded");

    await openItem(page, FIRST_ITEM);
    await expect(page.locator("main header").getByTestId("status")).toHaveText("Done");
    let timeline = page.getByRole("list", { name: "Reviews across meetings" });
    await expect(timeline.locator("[data-timeline=review]")).toContainText("Done: Tested in CI");

    // Done was a mistake: only progress. The status and the timeline follow.
    await page.goto(`${await meetingUrl(page, B_TITLE)}/edit`);
    const again = page.getByRole("form", { name: "Review of action items" }).getByRole("group", { name: /Flora Flowers to test the flow/ });
    await expect(again.getByLabel("Done", { exact: true })).toBeChecked();
    await again.getByLabel("Progress", { exact: true }).check();
    await again.getByLabel("Note").fill("Half the tests run");
    await page.getByRole("button", { name: "Save review" }).click();
    await expect(page.getByRole("form", { name: "Review of action items" }).getByRole("status")).toContainText("Review saved");
    await openItem(page, FIRST_ITEM);
    await expect(page.locator("main header").getByTestId("status")).toHaveText("In progress");
    timeline = page.getByRole("list", { name: "Reviews across meetings" });
    await expect(timeline.locator("[data-timeline=review]")).toHaveText(/Progress: Half the tests run/);
    await expect(timeline).not.toContainText("Tested in CI");

    // Editors do not get to delete a meeting: not offered, and the server action itself refuses.
    await page.goto(`${a}/edit`);
    await expect(page.getByRole("heading", { name: "Add an action item" })).toBeVisible();
    await expect(page.getByRole("form", { name: "Delete this meeting" })).toHaveCount(0);
    const manifest = JSON.parse(fs.readFileSync(path.join(import.meta.dirname, "..", ".next", "server", "server-reference-manifest.json"), "utf8"));
    const entry = Object.entries(manifest.node as Record<string, { exportedName: string }>).find(([, e]) => e.exportedName === "deleteMeetingAction");
    expect(entry, "deleteMeetingAction in the build").toBeTruthy();
    const res = await page.request.post(`${a}/edit`, {
      headers: { "Next-Action": entry![0], "Content-Type": "text/plain;charset=UTF-8", Accept: "text/x-component" },
      data: JSON.stringify([{ id: a.split("/").pop(), moveItemsTo: "", confirm: "on" }]),
      maxRedirects: 0,
    });
    expect(await res.text()).toContain('"code":"FORBIDDEN"');
    await page.goto(a);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(A_TITLE);
  });
});

test.describe("smaller things every user sees", () => {
  test.use({ storageState: stateFor("editor") });

  test("meeting search covers the meeting's items; snippets are text, not Markdown; the text minutes carry targets and links", async ({ page }) => {
    // "continuation" is only in an item the 10 May meeting created.
    await page.goto("/meetings?q=continuation");
    const results = page.getByRole("region", { name: /Meetings matching/ });
    await expect(results.getByRole("link", { name: "QEMU XenServer/XenProject Working group meeting 10th May 2017", exact: true })).toBeVisible();
    await expect(results).toContainText("Action item: Andrew to double check dm-op sub ops for continuation support");
    // The minutes say **physmap**; the snippet shows the word, highlighted, without the stars.
    await page.goto("/meetings?q=physmap");
    const snippet = page
      .getByRole("region", { name: /Meetings matching/ })
      .locator("mark", { hasText: /^physmap$/i })
      .first();
    await expect(snippet).toBeVisible();
    await expect(page.getByRole("region", { name: /Meetings matching/ })).not.toContainText("**");

    const a = await meetingUrl(page, A_TITLE);
    const txt = await page.request.get(`/api/meetings/${a.split("/").pop()}/minutes.txt`);
    expect(txt.status()).toBe(200);
    const text = await txt.text();
    expect(text).toContain("* Flora Flowers to post the flow series Target: 2031-03-01. Links:");
    expect(text).toContain("https://lists.xenproject.org/archives/html/xen-devel/2031-01/msg00001.html");
  });
});

test.describe.serial("an admin", () => {
  test.use({ storageState: stateFor("admin") });

  test("5. deletes a meeting, told first that its items are kept, and moves them to another meeting of the series", async ({ page }) => {
    const a = await meetingUrl(page, A_TITLE);
    await page.goto(`${a}/edit`);
    const del = page.getByRole("form", { name: "Delete this meeting" });
    await expect(del).toContainText("Its 2 action items are kept: detached (no creating meeting).");
    await del.getByLabel("Move them to another meeting of the series").check();
    await expect(del).toContainText("Its 2 action items are kept: moved to the meeting chosen below.");
    await del.getByLabel("Move them to", { exact: true }).selectOption({ label: `2031-01-14 — ${B_TITLE}` });
    // Not confirmed: nothing happens but a message.
    await del.getByRole("button", { name: "Delete meeting" }).click();
    await expect(del.getByRole("alert")).toHaveText("Tick the box to confirm.");
    await del.getByLabel("I understand: delete this meeting").check();
    await del.getByRole("button", { name: "Delete meeting" }).click();
    await expect(page).toHaveURL(/\/meetings\?deleted=1$/);
    await expect(page.getByRole("status").filter({ hasText: "The meeting was deleted" })).toBeVisible();
    await expect(page.getByRole("link", { name: A_TITLE, exact: true })).toHaveCount(0);

    // Its items are kept, now created in meeting B; the history says why.
    await openItem(page, "Flora Flowers to post the flow series");
    await expect(page.locator("main header").getByRole("link", { name: B_TITLE })).toBeVisible();
    await expect(page.getByRole("table", { name: "Change history" })).toContainText(`moved to the meeting “${B_TITLE}” (its meeting “${A_TITLE}” was deleted)`);
  });
});

const REVIEW_MINUTES = `QEMU XenServer/XenProject Working group meeting 4th February 2031
=================================================================

Attendees:
* Igor Druzhinin
* Andrew Cooper
* Ian Jackson

Reviewed previous action points

* Igor's physmap patches posted, under review
* Andrew to double check dm-op sub ops for continuation support: done
* Ian's quokka work: posted, under review

The group discussed the flow.

Action Items
------------

* Andrew to look over Ian's patch series to see how bad extra XenStore permission would be.
* Ian to write the flow test plan.
`;

test.describe("importing minutes, as an editor", () => {
  test.use({ storageState: stateFor("editor") });

  test("3. reviewed points matched by owner + subject words, '…: done' read as done, a duplicate new item flagged, a hand match keeps its words as the note", async ({
    page,
  }) => {
    await page.goto("/meetings/import");
    await page.getByLabel("Minutes text").fill(REVIEW_MINUTES);
    await page.getByRole("button", { name: "Preview" }).click();
    const preview = page.getByRole("form", { name: "Import preview" });
    await expect(preview.getByLabel("Title", { exact: true })).toHaveValue(/4th February 2031/);

    // "Igor's physmap patches posted, under review" → Igor's open physmap item; its words are the review's note.
    const point1 = preview.getByLabel("Item reviewed by point 1");
    await expect(point1.locator("option:checked")).toContainText("Igor to implement and post patches to create new mem map function");
    await expect(preview.getByLabel("Note on reviewed point 1")).toHaveValue("Igor's physmap patches posted, under review");

    // "…for continuation support: done" → Andrew's open item, Done.
    await expect(preview.getByLabel("Item reviewed by point 2").locator("option:checked")).toContainText(
      "Andrew to double check dm-op sub ops for continuation support",
    );
    await expect(preview.getByLabel("Status of reviewed point 2")).toHaveValue("done");

    // A new item identical to an open one: flagged, with a warning at the top.
    await expect(preview.getByRole("listitem", { name: "Action item 1" })).toContainText(
      "Likely duplicate of the open item “Andrew to look over Ian's patch series to see how bad extra XenStore permission would be.”",
    );
    await expect(preview.getByRole("listitem", { name: "Action item 2" })).not.toContainText("Likely duplicate");
    await expect(preview).toContainText("looks like a duplicate of the open item");

    // Point 3 matched by hand: what it said is kept as the review's note.
    await expect(preview.getByLabel("Note on reviewed point 3")).toHaveValue("");
    const point3 = preview.getByLabel("Item reviewed by point 3");
    await expect(point3).toHaveValue("");
    const ians = await point3.locator("option", { hasText: "Ian to look at using an FD for QMP CD insert" }).getAttribute("value");
    await point3.selectOption(ians!);
    await expect(preview.getByLabel("Note on reviewed point 3")).toHaveValue("Ian's quokka work: posted, under review");
    // Nothing is committed: the demo items stay as the other specs expect them.
  });
});

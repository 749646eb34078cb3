import { expect, test } from "@playwright/test";
import { MAX_UPLOAD_BYTES } from "../lib/limits";
import { stateFor } from "./global-setup";

/**
 * Importing minutes in the browser: paste → preview → fix an owner → commit → the
 * meeting and its items are there; the same minutes again say "already imported".
 * Not the demo's 10 May post (the demo data already holds that meeting).
 */
const MINUTES = `[Date Prev][Date Next][Thread Prev][Thread Next][Date Index][Thread Index]

[Xen-devel] QEMU XenServer/XenProject Working group meeting 14th June 2017



QEMU XenServer/XenProject Working group meeting 7th June 2017
=============================================================

Attendees:
* Paul Durrant
* Andrew Cooper
* Olaf Hering

Reviewed previous action points

* Olaf to rebase the platypus branch. - Done.

The group agreed to try the platypus loader on the simulated host.
Olaf will measure the start-up time.

Action Items
------------

* Olaf to write up the platypus test plan.
* Pual to post the platypus ioreq series.

_______________________________________________
Xen-devel mailing list
Xen-devel@xxxxxxxxxxxxx
https://lists.xen.org/xen-devel
`;
const TITLE = "QEMU XenServer/XenProject Working group meeting 14th June 2017";

test.describe("importing minutes", () => {
  test.use({ storageState: stateFor("editor") });

  test("paste → preview → fix an owner → commit; again → already imported", async ({ page, context }) => {
    await context.grantPermissions(["clipboard-read", "clipboard-write"]);
    await page.goto("/meetings");
    await page.getByRole("link", { name: "Import minutes" }).click();
    await expect(page.getByRole("heading", { name: "Import minutes" })).toBeVisible();
    await page.getByLabel("Minutes text").fill(MINUTES);
    await page.getByRole("button", { name: "Preview" }).click();

    const preview = page.getByRole("form", { name: "Import preview" });
    await expect(preview.getByLabel("Title", { exact: true })).toHaveValue(TITLE);
    // Both dates shown, the disagreement flagged, the subject's date chosen.
    const dates = preview.getByTestId("dates");
    await expect(dates).toContainText("Dates disagree");
    await expect(dates).toContainText("In the heading: 2017-06-07");
    await expect(dates).toContainText("In the subject: 2017-06-14");
    await expect(preview.getByLabel("Meeting date", { exact: true })).toHaveValue("2017-06-14");
    await expect(preview.getByRole("list", { name: "Warnings" })).toContainText("Dates disagree");
    // Known people resolved; the unknown attendee and the typo'd owner highlighted.
    await expect(preview.getByLabel("Attendee “Paul Durrant”", { exact: true })).toHaveValue(/.+/);
    await expect(preview.getByLabel("Attendee “Paul Durrant”", { exact: true }).locator("option:checked")).toHaveText("Paul Durrant");
    await expect(preview.locator("[data-unmatched]")).toHaveCount(4); // Olaf Hering; review owner Olaf; items' Olaf and Pual
    await expect(preview.getByLabel("Name of the new person for Owner “Pual” of action item 2")).toHaveValue("Pual");
    await expect(preview.getByLabel("Status of reviewed point 1")).toHaveValue("done");
    await expect(preview.getByLabel("Text of action item 1")).toHaveValue("Olaf to write up the platypus test plan.");

    // Fix the owner: "Pual" is Paul Durrant.
    await preview.getByLabel("Owner “Pual” of action item 2", { exact: true }).selectOption({ label: "Paul Durrant" });
    await expect(preview.getByLabel("Name of the new person for Owner “Pual” of action item 2")).toHaveCount(0);
    await preview.getByRole("button", { name: "Commit import" }).click();

    await expect(page).toHaveURL(/\/meetings\/(?!import)[^/]+$/);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(TITLE);
    const items = page.getByRole("region", { name: /Action items/ });
    await expect(items).toContainText("Olaf to write up the platypus test plan.");
    await expect(items).toContainText("— Olaf Hering");
    await expect(items.getByRole("listitem").filter({ hasText: "Pual to post the platypus ioreq series." })).toContainText("— Paul Durrant");
    await expect(page.getByRole("region", { name: /Attendees/ })).toContainText("Olaf Hering");
    const meetingUrl = new URL(page.url()).pathname;

    // The plain-text export of what was just imported.
    const exported = await page.request.get(`/api/meetings/${meetingUrl.split("/").pop()}/minutes.txt`);
    expect(exported.status()).toBe(200);
    expect(exported.headers()["content-disposition"]).toMatch(/attachment; filename="2017-06-14-.*\.txt"/);
    const text = await exported.text();
    expect(text).toContain(`${TITLE}\n${"=".repeat(TITLE.length)}`);
    expect(text).toContain("* Paul to post the platypus ioreq series.");

    // From the meeting page: copy to the clipboard, download the .txt.
    await page.getByRole("button", { name: "Copy minutes (text)" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Copied." })).toBeVisible();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(text);
    const download = page.waitForEvent("download");
    await page.getByRole("link", { name: "Download .txt" }).click();
    expect((await download).suggestedFilename()).toMatch(/^2017-06-14-.*\.txt$/);

    // Again: nothing to commit, a link to the meeting instead.
    await page.goto("/meetings/import");
    await page.getByLabel("Minutes text").fill(MINUTES);
    await page.getByRole("button", { name: "Preview" }).click();
    const status = page.getByRole("status").filter({ hasText: "Already imported" });
    await expect(status).toBeVisible();
    await expect(status.getByRole("link")).toHaveAttribute("href", meetingUrl);
    await expect(page.getByRole("button", { name: "Commit import" })).toHaveCount(0);
  });

  test("bad input gets a clear message and writes nothing", async ({ page }) => {
    await page.goto("/meetings/import");
    await page.getByRole("button", { name: "Preview" }).click();
    await expect(page.locator("#im-text-error")).toHaveText("Paste the minutes or choose a .txt, .eml or mbox file");
    await page.getByLabel("Minutes text").fill("Hello all,\n\nthe meeting moves to Thursday.\n\nPaul");
    await page.getByRole("button", { name: "Preview" }).click();
    await expect(page.getByRole("alert").filter({ hasText: "Nothing to import" })).toContainText("Not meeting minutes");
    await expect(page.getByLabel("Minutes text")).toHaveValue(/moves to Thursday/);
    await page.getByLabel(/upload a file/).setInputFiles({ name: "huge.mbox", mimeType: "application/mbox", buffer: Buffer.alloc(11 * 1024 * 1024, 0x61) });
    await expect(page.getByRole("alert").filter({ hasText: "huge.mbox is 11.0 MB; the limit is 10.0 MB" })).toBeVisible();
    await page
      .getByLabel(/upload a file/)
      .setInputFiles({ name: "blob.txt", mimeType: "application/octet-stream", buffer: Buffer.from([0, 1, 2, 3, 255, 254, 0, 7]) });
    await page.getByRole("button", { name: "Preview" }).click();
    await expect(page.getByRole("alert").filter({ hasText: "Nothing was imported" })).toContainText("does not look like text");
  });

  test("one upload limit: a file at the limit reaches the server, one over it is refused in the browser without sending (issue 10)", async ({ page }) => {
    await page.goto("/meetings/import");
    const posts: string[] = [];
    page.on("request", (r) => {
      if (r.method() === "POST") posts.push(r.url());
    });
    // Over the limit by one byte: the message comes from the browser, nothing is sent.
    await page.getByLabel(/upload a file/).setInputFiles({ name: "over.mbox", mimeType: "application/mbox", buffer: Buffer.alloc(MAX_UPLOAD_BYTES + 1, 0x61) });
    await page.getByRole("button", { name: "Preview" }).click();
    await expect(page.getByRole("alert").filter({ hasText: "over.mbox is 10.0 MB; the limit is 10.0 MB" })).toBeVisible();
    // Pasted text is held to the same limit.
    await page.getByLabel(/upload a file/).setInputFiles([]);
    await page.getByLabel("Minutes text").evaluate((el, n) => ((el as HTMLTextAreaElement).value = "a".repeat(n)), MAX_UPLOAD_BYTES + 1);
    await page.getByRole("button", { name: "Preview" }).click();
    await expect(page.getByRole("alert").filter({ hasText: "The pasted text is 10.0 MB; the limit is 10.0 MB" })).toBeVisible();
    expect(posts).toEqual([]);
    // Exactly at the limit, with text pasted too (a chosen file replaces it): the server reads it and answers.
    await page.getByLabel(/upload a file/).setInputFiles({ name: "at-limit.txt", mimeType: "text/plain", buffer: Buffer.alloc(MAX_UPLOAD_BYTES, 0x61) });
    await page.getByRole("button", { name: "Preview" }).click();
    await expect(page.getByRole("alert").filter({ hasText: "Nothing to import" })).toBeVisible({ timeout: 30_000 });
    expect(posts).toHaveLength(1);
  });

  test("an mbox: progress, then a summary naming the bad message", async ({ page }) => {
    const mail = (id: string, subject: string, body: string) =>
      `From: Paul Durrant <paul@example.org>\nSubject: ${subject}\nDate: Wed, 21 Jun 2017 17:00:00 +0100\nMessage-ID: <${id}@e2e.example>\nContent-Type: text/plain; charset=utf-8\n\n${body}\n`;
    const minutes = (date: string, item: string) =>
      `QEMU XenServer/XenProject Working group meeting ${date}\n==============================================================\n\nAttendees:\n* Paul Durrant\n* Andrew Cooper\n\nAction Items\n------------\n\n* ${item}\n`;
    const mbox = [
      `From paul@example.org Wed Jun 21 17:00:00 2017\n${mail("e2e-1", "[Xen-devel] QEMU XenServer/XenProject Working group meeting 21st June 2017", minutes("21st June 2017", "Paul to measure the numbat boot time."))}`,
      `From MAILER-DAEMON Wed Jun 21 18:00:00 2017\nthis entry lost its headers\n`,
      `From paul@example.org Wed Jun 28 17:00:00 2017\n${mail("e2e-3", "[Xen-devel] QEMU XenServer/XenProject Working group meeting 28th June 2017", minutes("28th June 2017", "Andrew to review the numbat patches."))}`,
    ].join("\n");
    await page.goto("/meetings/import");
    await page.getByLabel(/upload a file/).setInputFiles({ name: "june.mbox", mimeType: "application/mbox", buffer: Buffer.from(mbox) });
    await page.getByRole("button", { name: "Preview" }).click();
    await expect(page.getByRole("heading", { name: "3 messages: 2 minutes, 0 skipped, 1 unreadable" })).toBeVisible();
    await page.getByRole("button", { name: "Import 2 messages" }).click();
    await expect(page.getByLabel("Imported 2 of 2")).toHaveAttribute("value", "2");
    const summary = page.getByRole("status", { name: "Import summary" });
    await expect(summary).toContainText("Imported 2, already imported 0, skipped 0, errors 1.");
    await expect(summary).toContainText("Message 2: no mail header block");
    await summary.getByRole("link", { name: /28th June 2017/ }).click();
    await expect(page.getByRole("region", { name: /Action items/ })).toContainText("Andrew to review the numbat patches.");
  });
});

import fs from "node:fs";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { stateFor } from "./global-setup";

/**
 * Action items in the browser, on the demo data (the 10 May 2017 meeting). The tests
 * only touch items the meetings tests do not look at, and put statuses back, so the
 * specs can run in any order on one server.
 */
const JENNY = "Jenny: XenServer to make progress on its side of QEMU depriv.";
const IAN = "Ian to re-factor the libxl split, XenStore restrictions, and use an FD for QMP CD insert and emulated hotplug.";

async function openItem(page: Page, text: string): Promise<string> {
  await page.goto(`/items?q=${encodeURIComponent(text.slice(0, 30))}`);
  await page.getByRole("link", { name: text, exact: true }).first().click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(text);
  return new URL(page.url()).pathname;
}

/** The item page's own header (the app shell has one too). */
const itemHeader = (page: Page) => page.locator("main header");

function actionId(name: string): string {
  const manifest = JSON.parse(fs.readFileSync(path.join(import.meta.dirname, "..", ".next", "server", "server-reference-manifest.json"), "utf8"));
  const entry = Object.entries(manifest.node as Record<string, { exportedName: string }>).find(([, e]) => e.exportedName === name);
  if (!entry) throw new Error(`${name} is not in the build`);
  return entry[0];
}

test.describe("an editor", () => {
  test.use({ storageState: stateFor("editor") });

  test("changes an item's status and adds a link (a javascript: URL is refused next to the field)", async ({ page }) => {
    const url = await openItem(page, JENNY);
    const header = itemHeader(page);
    await expect(header.getByTestId("status")).toHaveText("In progress");

    await page.getByLabel("Status", { exact: true }).selectOption("blocked");
    await page.getByRole("button", { name: "Save item" }).click();
    await expect(page).toHaveURL(new RegExp(`${url}\\?saved=\\d+$`));
    await expect(page.getByRole("status").filter({ hasText: "Saved (version" })).toBeVisible();
    await expect(header.getByTestId("status")).toHaveText("Blocked");
    await expect(page.getByRole("table", { name: "Change history" })).toContainText("status: In progress → Blocked");
    await expect(page.getByRole("table", { name: "Change history" })).toContainText("editor@dmboard.local");

    const form = page.getByRole("form", { name: "Add a link" });
    await form.getByLabel("Kind").selectOption("patch");
    await form.getByLabel("URL").fill("javascript:alert(document.cookie)");
    await form.getByRole("button", { name: "Add link" }).click();
    await expect(page.locator("#link-url-error")).toContainText("http:// or https:// URL");
    await expect(form.getByLabel("URL")).toHaveAttribute("aria-invalid", "true");
    await expect(form.getByLabel("URL")).toHaveValue("javascript:alert(document.cookie)"); // kept to fix
    await expect(page.getByRole("list", { name: "Links" })).toHaveCount(0);

    await form.getByLabel("URL").fill("https://lists.xenproject.org/archives/html/xen-devel/2017-06/msg00042.html");
    await form.getByLabel("Title (optional)").fill("[PATCH v1] QEMU depriv for XenServer");
    await form.getByRole("button", { name: "Add link" }).click();
    const links = page.getByRole("list", { name: "Links" });
    await expect(links.getByRole("link", { name: "[PATCH v1] QEMU depriv for XenServer" })).toHaveAttribute(
      "href",
      "https://lists.xenproject.org/archives/html/xen-devel/2017-06/msg00042.html",
    );
    await expect(links).toContainText("Patch series");
    await expect(page.getByRole("table", { name: "Change history" })).toContainText("link added: Patch series");
    await expect(form.getByLabel("URL")).toHaveValue("");

    // The review timeline of the 10 May meeting is there.
    await expect(page.getByRole("list", { name: "Reviews across meetings" })).toContainText("XenServer is continuing to make slow progress");

    // Put the status back for the other specs.
    await page.getByLabel("Status", { exact: true }).selectOption("in_progress");
    await page.getByRole("button", { name: "Save item" }).click();
    await expect(header.getByTestId("status")).toHaveText("In progress");
  });

  test("changes the status of several items at once from the board", async ({ page }) => {
    await page.goto("/items");
    const bulk = page.getByRole("form", { name: "Bulk status change" });
    await page.getByRole("checkbox", { name: `Select: ${JENNY}` }).check();
    await page.getByRole("checkbox", { name: `Select: ${IAN}` }).check();
    await expect(bulk.getByRole("button", { name: "Apply to 2 selected" })).toBeEnabled();
    await bulk.getByLabel("New status").selectOption("blocked");
    await bulk.getByRole("button", { name: "Apply to 2 selected" }).click();
    await expect(bulk.getByRole("status")).toHaveText("Changed 2 items.");
    const blocked = page.getByRole("list", { name: "Items: Blocked" });
    await expect(blocked.getByRole("link", { name: JENNY, exact: true })).toBeVisible();
    await expect(blocked.getByRole("link", { name: IAN, exact: true })).toBeVisible();
    await expect(bulk.getByRole("button", { name: "Apply to 0 selected" })).toBeDisabled();

    // The board filters by status too (the tab keeps the other filters).
    await page
      .getByRole("navigation", { name: "Status" })
      .getByRole("link", { name: /^Blocked/ })
      .click();
    await expect(page).toHaveURL(/status=blocked/);
    await expect(page.getByRole("list", { name: /^Items: / })).toHaveCount(1);

    // Each item was audited on its own.
    await openItem(page, IAN);
    await expect(page.getByRole("table", { name: "Change history" })).toContainText("status: Open → Blocked (bulk change)");

    // Put them back, one status each.
    await page.goto("/items?status=blocked");
    await page.getByRole("checkbox", { name: `Select: ${IAN}` }).check();
    await bulk.getByLabel("New status").selectOption("open");
    await bulk.getByRole("button", { name: "Apply to 1 selected" }).click();
    await expect(bulk.getByRole("status")).toHaveText("Changed 1 item.");
    await page.getByRole("checkbox", { name: `Select: ${JENNY}` }).check();
    await bulk.getByLabel("New status").selectOption("in_progress");
    await bulk.getByRole("button", { name: "Apply to 1 selected" }).click();
    await expect(bulk.getByRole("status")).toHaveText("Changed 1 item.");
    await expect(page.getByText("No action items match.")).toBeVisible();
  });

  test("concurrent edits of an item: the second save is refused with both versions side by side", async ({ browser }) => {
    const a = await browser.newContext({ storageState: stateFor("editor") });
    const b = await browser.newContext({ storageState: stateFor("editor") });
    const pa = await a.newPage();
    const pb = await b.newPage();
    const url = await openItem(pa, JENNY);
    await pb.goto(url);

    await pa.getByLabel("Target", { exact: true }).fill("Xen 4.10");
    await pb.getByLabel("Target", { exact: true }).fill("XenServer 7.3");
    await pb.getByLabel("Text", { exact: true }).fill(`${JENNY} (B's wording)`);

    await pa.getByRole("button", { name: "Save item" }).click();
    await expect(pa.getByRole("status").filter({ hasText: "Saved (version" })).toBeVisible();
    await expect(itemHeader(pa)).toContainText("Target: Xen 4.10");

    await pb.getByRole("button", { name: "Save item" }).click();
    const conflict = pb.getByRole("alert").filter({ hasText: "Someone else saved this action item while you were editing" });
    await expect(conflict).toBeVisible();
    await expect(conflict.getByTestId("theirs-Target")).toHaveText("Xen 4.10");
    await expect(conflict.getByTestId("yours-Target")).toHaveText("XenServer 7.3");
    await expect(conflict.getByTestId("theirs-Text")).toHaveText(JENNY);
    await expect(conflict.getByTestId("yours-Text")).toHaveText(`${JENNY} (B's wording)`);
    await expect(conflict).toContainText("editor@dmboard.local");
    // Nothing of B's is lost, and the stored item is A's.
    await expect(pb.getByLabel("Target", { exact: true })).toHaveValue("XenServer 7.3");
    await pa.reload();
    await expect(itemHeader(pa)).toContainText("Target: Xen 4.10");
    await expect(pa.getByRole("heading", { level: 1 })).toHaveText(JENNY);

    // B takes A's version into the form, changes the target only, and saves.
    await conflict.getByRole("button", { name: /Take their version/ }).click();
    await expect(pb.getByRole("status").filter({ hasText: "The form now holds version" })).toBeVisible();
    await expect(pb.getByLabel("Text", { exact: true })).toHaveValue(JENNY);
    await pb.getByLabel("Target", { exact: true }).fill("");
    await pb.getByRole("button", { name: "Save item" }).click();
    await expect(pb.getByRole("status").filter({ hasText: "Saved (version" })).toBeVisible();
    await expect(itemHeader(pb)).not.toContainText("Target:");
    await a.close();
    await b.close();
  });
});

test.describe("a viewer", () => {
  test.use({ storageState: stateFor("viewer") });

  test("reads the board, an item and the exports, but gets no edit controls and the server refuses edits", async ({ page }) => {
    await page.goto("/items");
    await expect(page.getByRole("link", { name: JENNY, exact: true })).toBeVisible();
    await expect(page.getByRole("form", { name: "Bulk status change" })).toHaveCount(0);
    await expect(page.getByRole("checkbox", { name: /^Select:/ })).toHaveCount(0);

    const csv = await page.request.get("/api/items/export.csv?status=in_progress");
    expect(csv.status()).toBe(200);
    expect(csv.headers()["content-type"]).toContain("text/csv");
    const text = await csv.text();
    expect(text.startsWith("id,text,status,owners")).toBe(true);
    expect(text).toContain("Jenny Herbert");
    const json = await (await page.request.get("/api/items/export.json?owner=nobody")).json();
    expect(json.count).toBe(0);

    const url = await openItem(page, JENNY);
    await expect(page.getByRole("form", { name: "Edit action item" })).toHaveCount(0);
    await expect(page.getByRole("form", { name: "Add a link" })).toHaveCount(0);
    await expect(page.getByRole("button", { name: /Remove link/ })).toHaveCount(0);
    await expect(page.getByRole("heading", { name: "Timeline across meetings" })).toBeVisible();

    // The server actions refuse, whatever the page shows.
    const id = url.split("/").pop()!;
    for (const [name, input] of [
      ["updateItemAction", { id, version: 1, text: "Hacked by a viewer", status: "done", target: "", dueDate: "", ownerIds: ["x"], topicIds: [] }],
      ["bulkStatusAction", { ids: [id], status: "dropped" }],
      ["addLinkAction", { itemId: id, kind: "patch", url: "https://evil.example/", title: "" }],
    ] as const) {
      const res = await page.request.post(url, {
        headers: { "Next-Action": actionId(name), "Content-Type": "text/plain;charset=UTF-8", Accept: "text/x-component" },
        data: JSON.stringify([input]),
        maxRedirects: 0,
      });
      expect(await res.text(), name).toContain('"code":"FORBIDDEN"');
    }
    await page.reload();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(JENNY);
    await expect(itemHeader(page).getByTestId("status")).toHaveText("In progress");
  });

  test("follows an owner to their person page and a topic to its page", async ({ page }) => {
    await page.goto("/people");
    await page.getByRole("table", { name: "People" }).getByRole("link", { name: "Jenny Herbert" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Jenny Herbert");
    await expect(page.getByRole("list", { name: "Open items" })).toContainText("internal jira tickets");
    await expect(page.getByRole("list", { name: "Meetings attended" })).toContainText("10th May 2017");

    await page.getByRole("list", { name: "Open items" }).getByRole("link", { name: "XenStore removal" }).first().click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("XenStore removal");
    await expect(page.locator('[data-slot="live-usage"]')).toBeVisible();
    await page.goto("/topics");
    await page.getByRole("list", { name: "Topics" }).getByRole("link", { name: "Physmap keys" }).click();
    await expect(page.getByRole("list", { name: "Open items" })).toContainText("new mem map function");
    await expect(page.getByRole("list", { name: "Meetings on this topic" })).toContainText("10th May 2017");
  });

  test("creates an API token, reads the API with it, revokes it, and is then refused", async ({ page, playwright, baseURL }) => {
    await page.goto("/account");
    await page.getByLabel("Token name").fill("e2e script");
    await page.getByRole("button", { name: "Create token" }).click();
    const secret = page.getByLabel("New API token");
    await expect(secret).toHaveValue(/^dmb_/);
    const token = await secret.inputValue();
    const row = page.getByRole("table", { name: "Your API tokens" }).getByRole("row").filter({ hasText: "e2e script" });
    await expect(row).toContainText(token.slice(0, 10));
    await expect(row).toContainText("Active");

    // A client with no cookies, only the token (an explicit empty state: new request
    // contexts otherwise inherit this describe's storageState).
    const api = await playwright.request.newContext({ baseURL, storageState: { cookies: [], origins: [] } });
    const auth = { Authorization: `Bearer ${token}` };
    const res = await api.get("/api/v1/action-items?status=open,in_progress&pageSize=2", { headers: auth });
    expect(res.status()).toBe(200);
    const body = await res.json();
    expect(body.total).toBeGreaterThan(2);
    expect(body.data).toHaveLength(2);
    expect(body.next).toContain("page=2");
    expect(body.data[0]).toHaveProperty("owners");
    const next = await api.get(body.next, { headers: auth });
    expect(next.status()).toBe(200);
    const meetings = await api.get("/api/v1/meetings?series=qemu-wg", { headers: auth });
    expect(meetings.status()).toBe(200);
    expect((await meetings.json()).data.map((m: { date: string }) => m.date)).toContain("2017-05-10");
    expect((await api.get("/api/v1/action-items?status=nonsense", { headers: auth })).status()).toBe(400);
    expect((await api.get("/api/v1/action-items")).status()).toBe(401);

    // Revoke; the page says so and the token no longer works.
    await page.reload();
    await expect(page.getByLabel("New API token")).toHaveCount(0); // shown once only
    await row.getByRole("button", { name: "Revoke token e2e script" }).click();
    await row.getByRole("button", { name: /Confirm revoke/ }).click();
    await expect(row).toContainText("Revoked");
    expect((await api.get("/api/v1/action-items", { headers: auth })).status()).toBe(401);
    expect((await api.get("/api/v1/meetings", { headers: auth })).status()).toBe(401);
    await api.dispose();
  });
});

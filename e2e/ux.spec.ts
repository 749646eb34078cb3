import path from "node:path";
import Database from "better-sqlite3";
import { expect, test, type Page } from "@playwright/test";
import { E2E_DATA_DIR } from "../playwright.config";
import { stateFor } from "./global-setup";
import { openNewMeeting } from "./fixtures/forms";
import { gotoHydrated } from "./fixtures/hydration";

/**
 * What a new member stumbles on (issue 13, the UI parts): filters that forget to clear,
 * links that look like text, headers that run together, "1 items", raw values in the
 * history, no favicon, People and Topics missing from the navigation, focus left behind
 * after a refused save, a cut download name, Next's bare 404, no error or loading
 * states, and the dashboard's charts.
 */
const DEMO_TITLE = "QEMU XenServer/XenProject Working group meeting 10th May 2017";

async function demoMeeting(page: Page): Promise<string> {
  await page.goto("/meetings");
  await page.getByRole("link", { name: DEMO_TITLE, exact: true }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(DEMO_TITLE);
  return new URL(page.url()).pathname;
}

/** The SQLite file of the e2e server, for the test that breaks a row on purpose. */
const openDb = () => new Database(path.join(E2E_DATA_DIR, "dmboard.db"));

test.describe("a viewer", () => {
  test.use({ storageState: stateFor("viewer") });

  test("Clear on the board's filters empties the dropdowns, and the next Apply does not bring them back", async ({ page }) => {
    await page.goto("/items");
    const filters = page.getByRole("search", { name: "Filter action items" });
    await filters.getByLabel("Owner").selectOption({ label: "Igor Druzhinin" });
    await filters.getByLabel("Topic").selectOption({ label: "Physmap keys" });
    await filters.getByLabel("Sort").selectOption({ label: "Due date" });
    await filters.getByRole("button", { name: "Apply filters" }).click();
    await expect(page).toHaveURL(/owner=.+&topic=physmap-keys/);

    await filters.getByRole("link", { name: "Clear" }).click();
    await expect(page).toHaveURL(/\/items$/);
    await expect(filters.getByLabel("Owner")).toHaveValue("");
    await expect(filters.getByLabel("Topic")).toHaveValue("");
    await expect(filters.getByLabel("Sort")).toHaveValue("");
    await filters.getByRole("button", { name: "Apply filters" }).click();
    await expect(page).toHaveURL(/\/items\?/);
    expect(new URL(page.url()).searchParams.get("owner") ?? "").toBe("");
    expect(new URL(page.url()).searchParams.get("topic") ?? "").toBe("");
  });

  test("Clear on the meetings' filters empties them too", async ({ page }) => {
    await page.goto("/meetings");
    const filters = page.getByRole("search", { name: "Find meetings" });
    await filters.getByLabel("Topic").selectOption({ label: "Physmap keys" });
    await filters.getByLabel("Attendee").selectOption({ label: "Paul Durrant" });
    await filters.getByRole("button", { name: "Apply filters" }).click();
    await expect(page).toHaveURL(/topic=physmap-keys/);
    await filters.getByRole("link", { name: "Clear" }).click();
    await expect(page).toHaveURL(/\/meetings$/);
    await expect(filters.getByLabel("Topic")).toHaveValue("");
    await expect(filters.getByLabel("Attendee")).toHaveValue("");
    await filters.getByRole("button", { name: "Apply filters" }).click();
    expect(new URL(page.url()).searchParams.get("topic") ?? "").toBe("");
    await expect(page.getByRole("link", { name: DEMO_TITLE, exact: true })).toBeVisible();
  });

  test("links in tables look like links, and header cells are spaced apart", async ({ page }) => {
    await page.goto("/people");
    const link = page.getByRole("table", { name: "People" }).getByRole("link", { name: "Jenny Herbert" });
    await expect(link).toHaveCSS("text-decoration-line", "underline");
    const cell = link.locator("xpath=ancestor::td");
    expect(await link.evaluate((a) => getComputedStyle(a).color)).not.toBe(await cell.evaluate((td) => getComputedStyle(td).color));

    // "NoteStatus now" on the meeting page, "VerdictEvidence" on a VM's checklist.
    await demoMeeting(page);
    const reviewed = page.getByRole("region", { name: "Reviewed previous action points" });
    await expect(reviewed.getByRole("link").first()).toHaveCSS("text-decoration-line", "underline");
    const gaps = async (headers: ReturnType<Page["locator"]>) =>
      await headers.evaluateAll((ths) => ths.slice(0, -1).map((th) => parseFloat(getComputedStyle(th).paddingRight)));
    for (const gap of await gaps(reviewed.locator("th"))) expect(gap).toBeGreaterThanOrEqual(8);
    const hosts = (await (await page.request.get("/api/v1/vms?pageSize=1&dm=qemu-xen-dom0")).json()) as { data: { host: { id: string }; domid: number }[] };
    await page.goto(`/vms/${encodeURIComponent(hosts.data[0].host.id)}/${hosts.data[0].domid}`);
    const checklist = page.getByRole("table", { name: "Depriv checklist" });
    await expect(checklist.locator("th")).toHaveText(["Check", "Verdict", "Evidence"]);
    for (const gap of await gaps(checklist.locator("th"))) expect(gap).toBeGreaterThanOrEqual(8);
  });

  test("every page has our favicon: no 404 while browsing, signed in or not", async ({ page, browser }) => {
    const missing: string[] = [];
    page.on("response", (r) => {
      if (r.status() === 404) missing.push(r.url());
    });
    for (const url of ["/", "/meetings", "/items", "/people"]) {
      await page.goto(url);
      await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible();
    }
    const icon = await page.request.get("/favicon.ico");
    expect(icon.status()).toBe(200);
    expect(icon.headers()["content-type"]).toMatch(/image\//);
    expect((await icon.body()).readUInt16LE(2)).toBe(1); // an ICO file
    await expect(page.locator('head link[rel="icon"]')).toHaveAttribute("href", /favicon\.ico/);
    const anonymous = await browser.newContext({ storageState: { cookies: [], origins: [] } });
    const signIn = await anonymous.newPage();
    signIn.on("response", (r) => {
      if (r.status() === 404) missing.push(r.url());
    });
    await signIn.goto("/sign-in");
    expect((await signIn.request.get("/favicon.ico")).status()).toBe(200);
    await anonymous.close();
    expect(missing).toEqual([]);
  });

  test("People and Topics are in the navigation", async ({ page }) => {
    await page.goto("/");
    const nav = page.getByRole("navigation", { name: "Main" });
    await nav.getByRole("link", { name: "People" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("People");
    await expect(nav.getByRole("link", { name: "People" })).toHaveAttribute("aria-current", "page");
    await nav.getByRole("link", { name: "Topics" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Topics");
    await expect(nav.getByRole("link", { name: "Topics" })).toHaveAttribute("aria-current", "page");
  });

  test("the Markdown and text downloads carry the whole title", async ({ page }) => {
    await demoMeeting(page);
    const name = "2017-05-10-qemu-xenserver-xenproject-working-group-meeting-10th-may-2017";
    const [md] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Export Markdown" }).click()]);
    expect(md.suggestedFilename()).toBe(`${name}.md`);
    const [txt] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Download .txt" }).click()]);
    expect(txt.suggestedFilename()).toBe(`${name}.txt`);
  });

  test("a wrong address shows the app's own 404 inside the app, and so does a missing item", async ({ page }) => {
    for (const url of ["/no/such/page", "/items/no-such-item", "/meetings/no-such-meeting"]) {
      const res = await page.goto(url);
      // A wrong address is a real 404. A missing item's page is streamed under the loading
      // state, so Next can only mark it not to be indexed once the status has gone.
      if (url === "/no/such/page") expect(res?.status(), url).toBe(404);
      else await expect(page.locator('meta[name="robots"][content*="noindex"]')).not.toHaveCount(0);
      await expect(page.getByRole("heading", { level: 1 })).toHaveText("Page not found");
      await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible(); // the app's shell, not Next's bare page
      await expect(page.getByTestId("user-role")).toHaveText("viewer");
    }
    await page.getByRole("main").getByRole("link", { name: "Action items" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Action items");
  });

  test("an anonymous visitor at a wrong address is asked to sign in (which addresses exist is not told)", async ({ browser }) => {
    const ctx = await browser.newContext({ storageState: { cookies: [], origins: [] } });
    const page = await ctx.newPage();
    await page.goto("/no/such/page");
    await expect(page).toHaveURL(/\/sign-in\?next=%2Fno%2Fsuch%2Fpage/);
    await ctx.close();
  });

  test("a page whose read fails shows the error page, with a retry and no stack", async ({ page }) => {
    // A meeting whose series row is missing (a hand-edited database): its page cannot be read.
    const db = openDb();
    const seriesId = (db.prepare(`SELECT id FROM "Series" WHERE slug = 'qemu-wg'`).get() as { id: string }).id;
    db.pragma("foreign_keys = OFF");
    db.prepare(
      `INSERT INTO "Meeting" (id, seriesId, date, title, updatedAt) VALUES ('e2e-broken', 'no-such-series', '2017-05-20T00:00:00.000+00:00', 'Broken meeting', '2017-05-20T00:00:00.000+00:00')`,
    ).run();
    try {
      await page.goto("/meetings/e2e-broken");
      const error = page.getByRole("alert").filter({ has: page.getByRole("heading", { name: "This page could not be shown" }) });
      await expect(error).toBeVisible();
      await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible();
      await expect(error.getByTestId("error-digest")).toHaveText(/\S+/);
      await expect(page.locator("main")).not.toContainText(/Inconsistent|prisma|\bat .+\.js/i);
      // Repaired, the retry shows the page without a reload.
      await page.evaluate(() => ((window as unknown as { __noReload: number }).__noReload = 1));
      db.prepare(`UPDATE "Meeting" SET seriesId = ? WHERE id = 'e2e-broken'`).run(seriesId);
      await error.getByRole("button", { name: "Try again" }).click();
      await expect(page.getByRole("heading", { level: 1 })).toHaveText("Broken meeting");
      expect(await page.evaluate(() => (window as unknown as { __noReload?: number }).__noReload)).toBe(1);
    } finally {
      db.prepare(`DELETE FROM "Meeting" WHERE id = 'e2e-broken'`).run();
      db.close();
    }
  });

  test("a page that takes its time shows the loading state inside the shell", async ({ page }) => {
    // Hold the People page's data until the loading state has been seen. The link's prefetch
    // (which brings the loading state) goes through; the click waits for it and for hydration,
    // since either missing makes the navigation something else than the one under test.
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let prefetched = false;
    await page.route(
      (url) => url.pathname === "/people",
      async (route) => {
        const headers = route.request().headers();
        if (headers["rsc"] && !headers["next-router-prefetch"]) await held;
        const response = await route.fetch();
        await route.fulfill({ response });
        if (headers["next-router-prefetch"]) prefetched = true;
      },
    );
    await gotoHydrated(page, "/");
    await expect.poll(() => prefetched).toBe(true);
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "People" }).click();
    await expect(page.getByTestId("page-loading")).toBeVisible();
    await expect(page.getByTestId("page-loading")).toHaveAttribute("role", "status");
    release();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("People");
    await expect(page.getByTestId("page-loading")).toHaveCount(0);
  });

  test("a link in a table navigates on the client (no new document); with Ctrl it opens a new tab, left alone", async ({ page, context }) => {
    const documents: string[] = [];
    page.on("request", (r) => {
      if (r.resourceType() === "document") documents.push(new URL(r.url()).pathname);
    });
    await gotoHydrated(page, "/vms");
    await page.evaluate(() => ((window as unknown as { stillHere: boolean }).stillHere = true));
    const link = page.getByRole("table", { name: "Fleet" }).locator("tbody").getByRole("link").first();
    const target = await link.getAttribute("href");

    // Ctrl+click: the browser's own new tab, and this page stays where it is.
    const [tab] = await Promise.all([context.waitForEvent("page"), link.click({ modifiers: ["Control"] })]);
    await tab.waitForLoadState();
    expect(new URL(tab.url()).pathname).toBe(target);
    await tab.close();
    expect(new URL(page.url()).pathname).toBe("/vms");

    await link.click();
    await page.waitForURL((u) => u.pathname === target);
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    // The same window object: the page was not reloaded, and only /vms was fetched as a document.
    expect(await page.evaluate(() => (window as unknown as { stillHere?: boolean }).stillHere)).toBe(true);
    expect(documents).toEqual(["/vms"]);
  });
});

test.describe("an editor", () => {
  test.use({ storageState: stateFor("editor") });

  test("after a refused save the focus is on the first field to fix", async ({ page }) => {
    await openNewMeeting(page);
    await page.getByLabel("Title", { exact: true }).fill("x");
    await page.getByRole("button", { name: "Create meeting" }).click();
    await expect(page.locator("#f-title-error")).toBeVisible();
    await expect(page.getByLabel("Title", { exact: true })).toBeFocused();

    await page.goto("/items");
    await page.getByRole("link", { name: /^Igor to implement/ }).click();
    const form = page.getByRole("form", { name: "Add a link" });
    await form.getByLabel("URL").fill("javascript:alert(1)");
    await form.getByRole("button", { name: "Add link" }).click();
    await expect(form.getByLabel("URL")).toHaveAttribute("aria-invalid", "true");
    await expect(form.getByLabel("URL")).toBeFocused();
    const edit = page.getByRole("form", { name: "Edit action item" });
    await edit.getByLabel("Text", { exact: true }).fill("");
    await edit.getByRole("button", { name: "Save item" }).click();
    await expect(edit.getByLabel("Text", { exact: true })).toBeFocused();
  });

  test("a meeting held today: its row reads in the singular, it is marked on the fleet chart, and its item on the burn-down", async ({ page }) => {
    await openNewMeeting(page);
    const today = new Date().toISOString().slice(0, 10);
    const title = `Plural check ${today}`;
    await page.getByLabel("Title", { exact: true }).fill(title);
    const attendees = page.getByRole("combobox", { name: "Attendees" });
    await attendees.fill("Paul Durrant");
    await attendees.press("Enter");
    await page.getByLabel("New action items", { exact: true }).fill("Paul to write the plural check.");
    await page.getByRole("button", { name: "Create meeting" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(title);

    await page.goto("/meetings");
    await expect(page.getByRole("list", { name: "Meetings" }).getByRole("listitem").filter({ hasText: title })).toContainText("1 attendee · 1 item");

    await page.goto("/");
    const fleet = page.getByRole("region", { name: /Fleet dependencies over time/ });
    await fleet.getByText("Show the data as a table").click();
    await expect(fleet.getByRole("table", { name: "Meetings in this span" }).getByRole("row").filter({ hasText: title })).toContainText(today);
    const burndown = page.getByRole("region", { name: "Open action items over time" });
    await burndown.getByText("Show the data as a table").click();
    const row = burndown.getByRole("table", { name: "Open action items over time" }).getByRole("row").filter({ hasText: today });
    await expect(row.getByRole("cell").nth(1)).not.toHaveText("0"); // opened today: at least the plural check's item
    await expect(burndown.getByRole("table", { name: "Meetings since the first item" })).toContainText(title);
  });
});

test.describe("the dashboard's charts", () => {
  test.use({ storageState: stateFor("viewer") });

  test("render on the server, come alive in the browser with tooltips, and have their data as tables", async ({ page, playwright, baseURL }) => {
    // The server's rendering: an image of each chart in the HTML, before any script runs,
    // drawn by the charts route (the page carries its URL, not the picture).
    const html = await (await page.request.get("/")).text();
    const srcs = [...html.matchAll(/<img[^>]+src="(\/api\/charts\/[^"]+)"/g)].map((m) => m[1].replaceAll("&amp;", "&"));
    expect(srcs.map((u) => new URL(u, "http://x").pathname).sort()).toEqual(["/api/charts/fleet", "/api/charts/open-items"]);
    // The tables under "Show the data" are drawn in the browser on opening, not sent with every view.
    expect(html).toContain("Show the data as a table");
    expect(html).not.toContain('aria-label="Meetings since the first item"');
    for (const src of srcs) {
      const img = await page.request.get(src);
      expect(img.status()).toBe(200);
      expect(img.headers()["content-type"]).toBe("image/svg+xml; charset=utf-8");
      expect(await img.text()).toMatch(/^<svg[\s\S]*<\/svg>$/);
      // Signed-in readers only, like the page.
      const anonymous = await playwright.request.newContext({ baseURL, storageState: { cookies: [], origins: [] } });
      expect((await anonymous.get(src)).status()).toBe(401);
      await anonymous.dispose();
    }

    await page.goto("/");
    for (const [kind, name] of [
      ["fleet", /^Dependencies over time: a line chart of the fleet over the last 30 days/],
      ["open-items", /^Open action items over time: a step chart from 2017-05-10/],
    ] as const) {
      const chart = page.locator(`[data-chart="${kind}"]`);
      await expect(chart).toHaveAttribute("role", "img");
      await expect(page.getByRole("img", { name })).toBeVisible();
      await expect(chart).toHaveAttribute("data-live", "true");
      await expect(chart.locator("canvas").first()).toBeVisible();
      await chart.scrollIntoViewIfNeeded();
      const box = (await chart.boundingBox())!;
      // A tooltip with the values under the pointer (near the right end, where the latest point is).
      await expect(async () => {
        await page.mouse.move(box.x + box.width * 0.9, box.y + box.height * 0.5, { steps: 4 });
        await page.mouse.move(box.x + box.width * 0.97, box.y + box.height * 0.55, { steps: 4 });
        await expect(chart.locator(".chart-tip")).toBeVisible({ timeout: 1000 });
      }).toPass({ timeout: 15_000 });
      await expect(chart.locator(".chart-tip")).toContainText(kind === "fleet" ? /UTC.*dm-state: \d+/s : /Open action items: \d+/);
    }
    const burndown = page.getByRole("region", { name: "Open action items over time" });
    await burndown.getByText("Show the data as a table").click();
    await expect(burndown.getByRole("table", { name: "Open action items over time" }).getByRole("row").nth(1)).toContainText("2017-05-10");
    await expect(burndown.getByRole("table", { name: "Meetings since the first item" })).toContainText(DEMO_TITLE);
    // The same numbers as CSV, for a spreadsheet or a browser without scripts.
    const csv = await page.request.get((await burndown.getByRole("link", { name: "Download the numbers (CSV)" }).getAttribute("href"))!);
    expect(csv.headers()["content-type"]).toBe("text/csv; charset=utf-8");
    expect(csv.headers()["content-disposition"]).toMatch(/^attachment; filename="open-items-\d{4}-\d\d-\d\d\.csv"$/);
    expect((await csv.text()).split("\n").slice(0, 2)).toEqual(["day,opened,closed,open after the day", expect.stringMatching(/^2017-05-10,\d+,\d+,\d+$/)]);
    const fleet = page.getByRole("region", { name: /Fleet dependencies over time/ });
    await fleet.getByText("Show the data as a table").click();
    await expect(fleet.getByRole("table", { name: "Fleet dependencies over time" }).getByRole("columnheader", { name: "dm-state" })).toBeVisible();
    const fleetCsv = await page.request.get((await fleet.getByRole("link", { name: "Download the numbers (CSV)" }).getAttribute("href"))!);
    expect((await fleetCsv.text()).split("\n")[0]).toMatch(/^time \(UTC\),.*dm-state.*,deprivileged,VMs$/);

    await fleet.getByRole("navigation", { name: "Span of the fleet chart" }).getByRole("link", { name: "7 days" }).click();
    await expect(page).toHaveURL(/range=7/);
    await expect(fleet.getByRole("heading")).toHaveText("Fleet dependencies over time (last 7 days)");
    await expect(page.getByRole("img", { name: /over the last 7 days/ })).toBeVisible();
  });

  test("a data table opened before the page's script ran is drawn once it runs", async ({ page }) => {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    await page.route(
      (url) => url.pathname.startsWith("/_next/static/chunks/") && url.pathname.endsWith(".js"),
      async (route) => {
        await held;
        await route.continue();
      },
    );
    await page.goto("/", { waitUntil: "domcontentloaded" });
    const burndown = page.getByRole("region", { name: "Open action items over time" });
    await burndown.getByText("Show the data as a table").click();
    await expect(burndown.getByRole("link", { name: "Download the numbers (CSV)" })).toBeVisible();
    await expect(burndown.getByRole("table", { name: "Open action items over time" })).toHaveCount(0);
    release();
    await expect(burndown.getByRole("table", { name: "Open action items over time" }).getByRole("row").nth(1)).toContainText("2017-05-10");
  });

  test("work under a strict style-src: no inline style is refused, and the tooltip still shows", async ({ page }) => {
    // The policy proxy.ts sends, reduced to what matters here: scripts allowed, styles only from files.
    // The document only: prefetches still in flight when the test ends must not hang on the route.
    await page.route(
      (url) => url.pathname === "/" && !url.searchParams.has("_rsc"),
      async (route) => {
        const res = await route.fetch();
        await route.fulfill({
          response: res,
          headers: {
            ...res.headers(),
            "content-security-policy":
              "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'",
          },
        });
      },
    );
    await page.addInitScript(() => {
      const seen: string[] = [];
      (window as unknown as { __csp: string[] }).__csp = seen;
      document.addEventListener("securitypolicyviolation", (e) => seen.push(`${e.violatedDirective}: ${e.sample || e.blockedURI}`));
    });
    await page.goto("/");
    const chart = page.locator('[data-chart="fleet"]');
    await expect(chart).toHaveAttribute("data-live", "true");
    await chart.scrollIntoViewIfNeeded();
    const box = (await chart.boundingBox())!;
    await expect(async () => {
      await page.mouse.move(box.x + box.width * 0.9, box.y + box.height * 0.5, { steps: 4 });
      await page.mouse.move(box.x + box.width * 0.97, box.y + box.height * 0.55, { steps: 4 });
      await expect(chart.locator(".chart-tip")).toBeVisible({ timeout: 1000 });
    }).toPass({ timeout: 15_000 });
    expect(await page.evaluate(() => (window as unknown as { __csp: string[] }).__csp)).toEqual([]);
    await page.unrouteAll({ behavior: "ignoreErrors" });
  });
});

import AxeBuilder from "@axe-core/playwright";
import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { stateFor } from "./global-setup";
import { openNewMeeting } from "./fixtures/forms";

/**
 * Accessibility checked by a machine: axe-core over every page of the app, signed in as
 * each role (and the public pages anonymously), plus the states a page only reaches by
 * use (a form with its errors, the import preview). No serious or critical violation of
 * WCAG 2.1 A/AA may remain; the message lists each one with where it is.
 */
type Role = "viewer" | "editor" | "admin";

interface Ids {
  meeting: string;
  item: string;
  person: string;
  topic: string;
  host: string;
  vm: string;
}

async function ids(page: Page, request: APIRequestContext): Promise<Ids> {
  const json = async (url: string) => (await request.get(url)).json();
  const meetings = (await json("/api/v1/meetings?series=qemu-wg&pageSize=100")) as { data: { id: string; date: string }[] };
  const items = (await json("/api/v1/action-items?pageSize=1")) as { data: { id: string }[] };
  const hosts = (await json("/api/v1/hosts")) as { data: { id: string }[] };
  const vms = (await json("/api/v1/vms?pageSize=1&dm=qemu-xen-dom0")) as { data: { host: { id: string }; domid: number }[] };
  await page.goto("/people");
  const person = (await page.getByRole("table", { name: "People" }).getByRole("link").first().getAttribute("href"))!;
  return {
    meeting: meetings.data.find((m) => m.date === "2017-05-10")!.id,
    item: items.data[0].id,
    person: person.split("/").pop()!,
    topic: "physmap-keys",
    host: hosts.data[0].id,
    vm: `${encodeURIComponent(vms.data[0].host.id)}/${vms.data[0].domid}`,
  };
}

/** Every page of the app; the editor's and admin's pages are visited by every role (a viewer meets /forbidden there). */
const pages = (i: Ids) => [
  "/",
  "/meetings",
  "/meetings?q=physmap",
  `/meetings/${i.meeting}`,
  `/meetings/${i.meeting}/edit`,
  "/meetings/new",
  "/meetings/import",
  "/items",
  `/items/${i.item}`,
  "/people",
  `/people/${i.person}`,
  "/topics",
  `/topics/${i.topic}`,
  "/vms",
  `/vms/${i.vm}`,
  "/hosts",
  `/hosts/${i.host}/edit`,
  "/admin",
  "/admin/users",
  "/admin/rules",
  "/account",
  "/no/such/page",
];

const IMPACTS = new Set(["serious", "critical"]);

async function check(page: Page, where: string): Promise<string[]> {
  // The page is drawn (loading state gone, charts live) before it is judged.
  await expect(page.getByTestId("page-loading")).toHaveCount(0);
  await expect(page.locator("h1").first()).toBeVisible();
  for (const chart of await page.locator("[data-chart]").all()) await expect(chart).toHaveAttribute("data-live", "true");
  const result = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  return result.violations
    .filter((v) => IMPACTS.has(v.impact ?? ""))
    .flatMap((v) => v.nodes.map((n) => `${where}: ${v.impact} ${v.id} (${v.help}) at ${n.target.join(" ")}`));
}

for (const role of ["viewer", "editor", "admin"] as const satisfies readonly Role[]) {
  test.describe(`as ${role}`, () => {
    test.use({ storageState: stateFor(role) });

    test(`every page has no serious or critical axe violation (${role})`, async ({ page, request }) => {
      test.setTimeout(180_000);
      const found: string[] = [];
      const seen = new Set<string>();
      for (const url of pages(await ids(page, request))) {
        await page.goto(url);
        // A page this role may not open sends it to /forbidden: judged once.
        const landed = new URL(page.url());
        const key = landed.pathname === "/forbidden" ? "/forbidden" : url;
        if (seen.has(key)) continue;
        seen.add(key);
        found.push(...(await check(page, key === url ? url : `${url} → ${key}`)));
      }
      // The dashboard with its charts' data tables open.
      await page.goto("/");
      for (const summary of await page.getByText("Show the data as a table").all()) await summary.click();
      found.push(...(await check(page, "/ (data tables open)")));
      expect(found).toEqual([]);
    });
  });
}

test.describe("as editor, in use", () => {
  test.use({ storageState: stateFor("editor") });

  test("a form with its errors and the import preview have no serious or critical axe violation", async ({ page }) => {
    const found: string[] = [];
    await openNewMeeting(page);
    await page.getByLabel("Title", { exact: true }).fill("x");
    await page.getByLabel(/^Source URL/).fill("javascript:alert(1)");
    await page.getByRole("button", { name: "Create meeting" }).click();
    await expect(page.locator("#f-title-error")).toBeVisible();
    found.push(...(await check(page, "/meetings/new with errors")));

    await page.goto("/meetings/import");
    await page
      .getByLabel("Minutes text")
      .fill(
        [
          "QEMU XenServer/XenProject Working group meeting 21st June 2017",
          "",
          "Attendees:",
          "* Paul Durrant",
          "* Olaf Hering",
          "",
          "Reviewed previous action points",
          "",
          "* Olaf to rebase the platypus branch. - Done.",
          "",
          "Action Items",
          "------------",
          "",
          "* Olaf to write up the platypus test plan.",
        ].join("\n"),
      );
    await page.getByRole("button", { name: "Preview" }).click();
    await expect(page.getByRole("form", { name: "Import preview" })).toBeVisible();
    found.push(...(await check(page, "/meetings/import preview")));
    expect(found).toEqual([]);
  });
});

test.describe("signed out", () => {
  test("the sign-in and forbidden pages have no serious or critical axe violation", async ({ page }) => {
    const found: string[] = [];
    for (const url of ["/sign-in", "/forbidden?need=admin"]) {
      await page.goto(url);
      found.push(...(await check(page, url)));
    }
    await page.getByRole("link", { name: "Back to the dashboard" }).click();
    await page.getByLabel("Email").fill("nobody@example.org");
    await page.getByLabel("Password").fill("wrong-password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByRole("alert")).toBeVisible();
    found.push(...(await check(page, "/sign-in with an error")));
    expect(found).toEqual([]);
  });
});

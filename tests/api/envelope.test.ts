/**
 * One query-string reading and one list envelope for every list route (README: pages
 * come with next/prev links and a total; a bad parameter is a 400 that names it).
 * The hosts and VMs routes are checked here over a real collector's state; the
 * action items and meetings routes in tests/db/items.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { syntheticHost } from "@/lib/devmodel/analysis";
import { apiPage } from "@/lib/api/page";
import { parseQuery, parseQueryLenient, queryObject } from "@/lib/api/query";
import { Collector } from "@/lib/hosts/collector";
import { apiHostsPage, apiVmsPage } from "@/lib/hosts/api";
import type { HostState } from "@/lib/hosts/types";

const ENVELOPE = ["data", "next", "page", "pageCount", "pageSize", "prev", "total"];

describe("query strings", () => {
  const schema = z.object({ status: z.array(z.string()).optional(), q: z.string().optional(), page: z.coerce.number().int().min(1).default(1) });

  it("a repeated key keeps every value, wherever the query comes from", () => {
    const expected = { status: ["open", "blocked"], q: "physmap" };
    expect(queryObject(new URL("https://x/items?status=open&status=blocked&q=physmap"))).toEqual(expected);
    expect(queryObject(new URLSearchParams("status=open&status=blocked&q=physmap"))).toEqual(expected);
    expect(queryObject({ status: ["open", "blocked"], q: "physmap", page: undefined })).toEqual(expected);
  });

  it("strict (API): a bad value or an unknown parameter throws, naming it", () => {
    expect(() => parseQuery(schema.strict(), new URL("https://x/?page=0"))).toThrow(z.ZodError);
    const unknown = (() => {
      try {
        parseQuery(schema.strict(), new URL("https://x/?colour=red"));
      } catch (e) {
        return (e as z.ZodError).issues[0];
      }
    })();
    expect(unknown).toMatchObject({ code: "unrecognized_keys", keys: ["colour"] });
  });

  it("lenient (pages): a bad value is reported and dropped, the rest apply; the form gets back what was typed", () => {
    const r = parseQueryLenient(schema, { q: ["a", "b"], page: "2" });
    expect(r.value).toEqual({ page: 2 });
    expect(Object.keys(r.errors)).toEqual(["q"]);
    expect(r.raw).toEqual({ q: "a,b", page: "2" });
    const strictPage = parseQueryLenient(schema.strict(), { colour: "red", page: "3" });
    expect(strictPage).toMatchObject({ value: { page: 3 }, errors: { colour: ["Unknown parameter"] } });
  });
});

describe("the list envelope", () => {
  it("next/prev keep the filters; none past either end", () => {
    const url = new URL("https://dmboard.example/api/v1/vms?verdict=partial&pageSize=10&page=2");
    expect(apiPage(url, [1, 2], { page: 2, pageSize: 10, total: 35 })).toEqual({
      data: [1, 2],
      page: 2,
      pageSize: 10,
      total: 35,
      pageCount: 4,
      next: "https://dmboard.example/api/v1/vms?verdict=partial&pageSize=10&page=3",
      prev: "https://dmboard.example/api/v1/vms?verdict=partial&pageSize=10&page=1",
    });
    expect(apiPage(url, [], { page: 1, pageSize: 10, total: 0 })).toMatchObject({ pageCount: 1, next: null, prev: null });
  });

  describe("hosts and VMs routes", () => {
    let states: HostState[];
    let collector: Collector;
    beforeAll(async () => {
      collector = new Collector({ watch: false, snapshot: async () => syntheticHost(12) });
      collector.setHosts(
        ["a", "b", "c"].map((id) => ({
          id,
          name: `host-${id}`,
          kind: "local",
          xenstoredPath: `/x/${id}`,
          qmpDir: "/x",
          procRoot: "/x",
          pollIntervalSec: 3600,
          enabled: true,
        })),
      );
      await collector.ready(5000);
      states = collector.states();
    });
    afterAll(() => collector.stop());

    it("/api/v1/hosts: the shared envelope, filters kept in the links", () => {
      const page = apiHostsPage(new URL("https://d/api/v1/hosts?status=ok&pageSize=2"), states);
      expect(Object.keys(page).sort()).toEqual(ENVELOPE);
      expect(page).toMatchObject({ page: 1, pageSize: 2, total: 3, pageCount: 2, prev: null, next: "https://d/api/v1/hosts?status=ok&pageSize=2&page=2" });
      expect(page.data.map((h) => h.name)).toEqual(["host-a", "host-b"]);
      expect(() => apiHostsPage(new URL("https://d/api/v1/hosts?status=sleeping"), states)).toThrow(z.ZodError);
    });

    it("/api/v1/vms: the shared envelope; a bad or unknown parameter is refused, not ignored", () => {
      const page = apiVmsPage(new URL("https://d/api/v1/vms?pageSize=5&page=2&sort=domid"), states);
      expect(Object.keys(page).sort()).toEqual(ENVELOPE);
      expect(page).toMatchObject({ page: 2, pageSize: 5, total: page.total, prev: "https://d/api/v1/vms?pageSize=5&page=1&sort=domid" });
      expect(page.total).toBeGreaterThan(10);
      expect(page.next).toBe("https://d/api/v1/vms?pageSize=5&page=3&sort=domid");
      expect(() => apiVmsPage(new URL("https://d/api/v1/vms?verdict=nonsense"), states)).toThrow(z.ZodError);
      expect(() => apiVmsPage(new URL("https://d/api/v1/vms?dependency=physmap"), states)).toThrow(z.ZodError);
    });
  });
});

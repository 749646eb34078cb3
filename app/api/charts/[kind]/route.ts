import { defineRoute, jsonError } from "@/lib/auth/guard";
import { fleetHistory, openItemsHistory, parseFleetRange } from "@/lib/dashboard/charts";
import { chartCsvFileName, fleetCsv, openItemsCsv } from "@/lib/dashboard/charts-csv";
import { findHost } from "@/lib/hosts/fleet";
import { downloadResponse } from "@/lib/http/download";
import { collectorReady } from "@/lib/hosts/service";
import { chartSvg } from "@/components/charts/render-svg";
import { chartHeight, type ChartSpec } from "@/components/charts/options";

export const dynamic = "force-dynamic";

/**
 * The dashboard's charts as SVG images (components/charts/ChartFigure.tsx): the picture the
 * page shows before its script draws the live chart, and without scripts. Served here rather
 * than inlined as data URLs, which every view sent twice (the HTML and its RSC payload: two
 * thirds of the dashboard's bytes). The same data as the page: `fleet?range=&host=`,
 * `open-items`; `h` the height; `v` (the data's digest) only makes the URL change with the
 * data, so the browser may keep an image for its URL. `format=csv`: the same numbers as CSV
 * (what the table under the chart lists).
 */
export const GET = defineRoute({ role: "viewer" }, async (req, { params }) => {
  const q = req.nextUrl.searchParams;
  let spec: ChartSpec;
  if (params.kind === "fleet") {
    const host = q.get("host");
    const only = host ? findHost((await collectorReady(2000)).states(), host) : undefined;
    if (host && !only) return jsonError(404, "NOT_FOUND", "No such host.");
    spec = { kind: "fleet", data: await fleetHistory({ days: parseFleetRange(q.get("range") ?? undefined), hostId: only?.host.id }) };
  } else if (params.kind === "open-items") {
    spec = { kind: "open-items", data: await openItemsHistory() };
  } else return jsonError(404, "NOT_FOUND", "No such chart: fleet or open-items.");
  if (q.get("format") === "csv") {
    const csv = spec.kind === "fleet" ? fleetCsv(spec.data) : openItemsCsv(spec.data);
    return downloadResponse(csv, { type: "text/csv", filename: chartCsvFileName(spec.kind) });
  }
  return new Response(chartSvg(spec, chartHeight(q.get("h"))), {
    headers: { "content-type": "image/svg+xml; charset=utf-8", "cache-control": "private, max-age=3600" },
  });
});

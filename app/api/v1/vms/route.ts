import { NextResponse } from "next/server";
import { defineRoute } from "@/lib/auth/guard";
import { findHost, listVms, parseVmQuery } from "@/lib/hosts/fleet";
import { collectorReady } from "@/lib/hosts/service";

export const dynamic = "force-dynamic";

/**
 * The fleet across hosts, paginated (page, pageSize ≤ 500) and filterable: host (id or
 * name), verdict, dm (device-model kind), dep (rule id, "any" or "none"), qmp, q (name,
 * domid or host), role=all for dom0 and stub domains; sort + dir. Each VM carries its
 * dependencies with their rules, its unclassified keys and its depriv checklist.
 */
export const GET = defineRoute({ role: "viewer", token: true }, async (req) => {
  const sp = req.nextUrl.searchParams;
  const query = parseVmQuery(Object.fromEntries(sp));
  const states = (await collectorReady(2000)).states();
  const page = listVms(states, query);
  const data = page.rows.map((r) => {
    const vm = findHost(states, r.hostId)?.analysis?.vms.find((v) => v.domid === r.domid);
    return {
      host: { id: r.hostId, name: r.hostName, status: r.hostStatus },
      domid: r.domid,
      name: r.name,
      role: r.role,
      guestType: r.guestType,
      deviceModel: vm?.deviceModel ?? { kind: r.deviceModel },
      qmp: vm?.qmp ?? { status: r.qmpStatus },
      dependencies: vm?.dependencies ?? [],
      unclassified: vm?.unclassified ?? [],
      depriv: vm?.depriv ?? null,
      notes: vm?.notes ?? [],
    };
  });
  return NextResponse.json({ data, page: page.page, pageSize: page.pageSize, pages: page.pages, total: page.total });
});

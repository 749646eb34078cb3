import { apiPageResponse } from "@/lib/api/page";
import { defineRoute } from "@/lib/auth/guard";
import { apiVmsPage } from "@/lib/hosts/api";
import { collectorReady } from "@/lib/hosts/service";

export const dynamic = "force-dynamic";

/**
 * The fleet across hosts, paginated (page, pageSize ≤ 500) and filterable: host (id or
 * name), verdict, dm (device-model kind), dep (rule id, "any" or "none"), topic, qmp,
 * q (name, domid or host), role=all for dom0 and stub domains; sort + dir. Each VM
 * carries its dependencies with their rules, its unclassified keys and its depriv checklist.
 */
export const GET = defineRoute({ role: "viewer", token: true }, async (req) => apiPageResponse(apiVmsPage(req.nextUrl, (await collectorReady(2000)).states())));

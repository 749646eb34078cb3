import { apiPageResponse } from "@/lib/api/page";
import { defineRoute } from "@/lib/auth/guard";
import { apiHostsPage } from "@/lib/hosts/api";
import { collectorReady } from "@/lib/hosts/service";

export const dynamic = "force-dynamic";

/** Every host the collector reads (?status=&page=&pageSize=): status, last good read, and the fleet summary of its latest analysis. */
export const GET = defineRoute({ role: "viewer", token: true }, async (req) =>
  apiPageResponse(apiHostsPage(req.nextUrl, (await collectorReady(2000)).states())),
);

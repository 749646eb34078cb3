import { NextResponse } from "next/server";
import { z } from "zod";
import { defineRoute } from "@/lib/auth/guard";
import { collectorReady } from "@/lib/hosts/service";

export const dynamic = "force-dynamic";

const query = z.object({
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
  status: z.enum(["pending", "ok", "stale", "unreachable"]).optional(),
});

/** Every host the collector reads: status, last good read, and the fleet summary of its latest analysis. */
export const GET = defineRoute({ role: "viewer", token: true }, async (req) => {
  const q = query.parse(Object.fromEntries(req.nextUrl.searchParams));
  const states = (await collectorReady(2000)).states().filter((s) => !q.status || s.status === q.status);
  const rows = states.slice((q.page - 1) * q.pageSize, q.page * q.pageSize).map((s) => ({
    id: s.host.id,
    name: s.host.name,
    kind: s.host.kind,
    status: s.status,
    error: s.error,
    lastGoodAt: s.lastGoodAt,
    lastAttemptAt: s.lastAttemptAt,
    elapsedMs: s.elapsedMs,
    watching: s.watching,
    pollIntervalSec: s.host.pollIntervalSec,
    ruleCount: s.analysis?.ruleCount ?? null,
    summary: s.analysis?.summary ?? null,
  }));
  return NextResponse.json({ data: rows, page: q.page, pageSize: q.pageSize, total: states.length });
});

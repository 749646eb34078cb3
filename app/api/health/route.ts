import { NextResponse } from "next/server";
import { defineRoute } from "@/lib/auth/guard";
import { checkDatabase } from "@/lib/db/health";

export const dynamic = "force-dynamic";

/** Liveness and database state, for load balancers and `curl`. */
export const GET = defineRoute({ role: "public" }, async () => {
  const db = await checkDatabase();
  return NextResponse.json({ status: db.ok ? "ok" : "degraded", database: db }, { status: db.ok ? 200 : 503 });
});

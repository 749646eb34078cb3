import { requirePageRole } from "@/lib/auth/guard";
import { getDb } from "@/lib/db/client";

export const dynamic = "force-dynamic";

export default async function DashboardPage() {
  await requirePageRole("viewer", "/");
  const db = getDb();
  const [meetings, open] = await Promise.all([db.meeting.count(), db.actionItem.count({ where: { status: { in: ["open", "in_progress", "blocked"] } } })]);
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold">Dashboard</h1>
      <div className="grid gap-4 sm:grid-cols-3">
        <div className="rounded-lg border border-border bg-card p-4"><p className="text-sm text-muted">Meetings</p><p className="text-3xl font-semibold">{meetings}</p></div>
        <div className="rounded-lg border border-border bg-card p-4"><p className="text-sm text-muted">Open action items</p><p className="text-3xl font-semibold">{open}</p></div>
      </div>
    </div>
  );
}

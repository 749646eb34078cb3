import { defineRoute, jsonError } from "@/lib/auth/guard";
import { exportFileName } from "@/lib/meetings/markdown";
import { exportMinutesText } from "@/lib/minutes";
import { meetingToExportable } from "@/lib/minutes/server";

/** A meeting as plain-text minutes in the group's xen-devel form, as a download. */
export const GET = defineRoute({ role: "viewer", token: true }, async (_req, { params }) => {
  const m = await meetingToExportable(String(params.id));
  if (!m) return jsonError(404, "NOT_FOUND", "No such meeting");
  return new Response(exportMinutesText(m), {
    headers: {
      "Content-Type": "text/plain; charset=utf-8",
      "Content-Disposition": `attachment; filename="${exportFileName({ date: m.date, title: m.title ?? m.series }, "txt")}"`,
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
});

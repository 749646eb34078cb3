import { defineRoute, jsonError } from "@/lib/auth/guard";
import { downloadResponse } from "@/lib/http/download";
import { exportFileName } from "@/lib/meetings/markdown";
import { exportMinutesText } from "@/lib/minutes";
import { meetingToExportable } from "@/lib/minutes/server";

/** A meeting as plain-text minutes in the group's xen-devel form, as a download. */
export const GET = defineRoute({ role: "viewer", token: true }, async (_req, { params }) => {
  const m = await meetingToExportable(String(params.id));
  if (!m) return jsonError(404, "NOT_FOUND", "No such meeting");
  return downloadResponse(exportMinutesText(m), { type: "text/plain", filename: exportFileName({ date: m.date, title: m.title ?? m.series }, "txt") });
});

import { defineRoute, jsonError } from "@/lib/auth/guard";
import { downloadResponse } from "@/lib/http/download";
import { getMeeting } from "@/lib/meetings/reads";
import { exportFileName, meetingMarkdown } from "@/lib/meetings/markdown";

/** A meeting as a Markdown file (minutes, decisions, reviewed points, items). */
export const GET = defineRoute({ role: "viewer", token: true }, async (_req, { params }) => {
  const m = await getMeeting(String(params.id));
  if (!m) return jsonError(404, "NOT_FOUND", "No such meeting");
  return downloadResponse(meetingMarkdown(m), { type: "text/markdown", filename: exportFileName(m) });
});

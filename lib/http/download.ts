/**
 * A file the browser saves (exports: the board as CSV/JSON, a meeting as Markdown or
 * minutes, a chart's numbers): its type, its name, never kept by a cache (a viewer's
 * data), never sniffed as something else.
 */
export function downloadResponse(body: string, { type, filename }: { type: string; filename: string }): Response {
  return new Response(body, {
    headers: {
      "Content-Type": `${type}; charset=utf-8`,
      "Content-Disposition": `attachment; filename="${filename}"`,
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}

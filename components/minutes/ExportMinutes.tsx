"use client";
import { useState } from "react";
import { secondaryButtonClass } from "@/components/ui/styles";

/**
 * The meeting as plain-text minutes for xen-devel: copy them to the clipboard, or
 * download the .txt (both from /api/meetings/<id>/minutes.txt, the one export).
 */
export function ExportMinutes({ meetingId, className = secondaryButtonClass }: { meetingId: string; className?: string }) {
  const url = `/api/meetings/${meetingId}/minutes.txt`;
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");
  const copy = async () => {
    try {
      const text = fetch(url, { cache: "no-store" }).then(async (r) => {
        if (!r.ok) throw new Error(`HTTP ${r.status}`);
        return r.text();
      });
      // A promise in ClipboardItem keeps the click's permission while the text loads (Safari needs it).
      if (typeof ClipboardItem !== "undefined" && navigator.clipboard?.write) {
        await navigator.clipboard.write([new ClipboardItem({ "text/plain": text.then((t) => new Blob([t], { type: "text/plain" })) })]);
      } else {
        await navigator.clipboard.writeText(await text);
      }
      setState("copied");
    } catch {
      setState("failed");
    }
  };
  return (
    <span className="inline-flex flex-wrap items-center gap-2">
      <button type="button" className={className} onClick={copy}>
        Copy minutes (text)
      </button>
      <a href={url} download className={className}>
        Download .txt
      </a>
      <span role="status" className="text-sm">
        {state === "copied" ? "Copied." : state === "failed" ? "Could not copy; use Download." : ""}
      </span>
    </span>
  );
}

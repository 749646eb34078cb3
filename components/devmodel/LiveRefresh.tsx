"use client";
import { useRouter } from "next/navigation";
import { startTransition, useEffect, useRef, useState } from "react";

type Update = { hostId: string; version: number; status: string; name: string };

/**
 * Subscribes to /api/live (server-sent events) and re-renders the page from the server
 * whenever a host the page shows changes. `versions` are the host versions the server
 * rendered: a change that happened between the render and the subscription is caught by
 * comparing them with the stream's hello.
 */
export function LiveRefresh({ versions, hostIds }: { versions: Record<string, number>; hostIds?: string[] }) {
  const router = useRouter();
  const [state, setState] = useState<"connecting" | "live" | "reconnecting">("connecting");
  const [updatedAt, setUpdatedAt] = useState<string | null>(null);
  const seen = useRef<Record<string, number>>(versions);
  // Each server render brings newer versions; the stream compares against them.
  useEffect(() => {
    seen.current = { ...seen.current, ...versions };
  }, [versions]);
  const key = hostIds?.join(",") ?? "*";

  useEffect(() => {
    const wanted = key === "*" ? null : new Set(key.split(","));
    let timer: ReturnType<typeof setTimeout> | null = null;
    const refresh = () => {
      if (timer) return;
      timer = setTimeout(() => {
        timer = null;
        setUpdatedAt(new Date().toLocaleTimeString());
        startTransition(() => router.refresh());
      }, 100);
    };
    const consider = (u: Update) => {
      if (wanted && !wanted.has(u.hostId)) return;
      if (seen.current[u.hostId] === u.version) return;
      seen.current = { ...seen.current, [u.hostId]: u.version };
      refresh();
    };
    const es = new EventSource("/api/live");
    es.onopen = () => setState("live");
    es.onerror = () => setState("reconnecting");
    es.addEventListener("hello", (e) => {
      setState("live");
      const { hosts } = JSON.parse((e as MessageEvent).data) as { hosts: Update[] };
      for (const h of hosts) consider(h);
    });
    es.addEventListener("update", (e) => consider(JSON.parse((e as MessageEvent).data) as Update));
    return () => {
      es.close();
      if (timer) clearTimeout(timer);
    };
  }, [key, router]);

  const dot = state === "live" ? "bg-green-600" : state === "connecting" ? "bg-slate-400" : "bg-amber-500";
  return (
    <p className="inline-flex items-center gap-2 text-xs text-muted" data-live-state={state} role="status" aria-live="off">
      <span className={`inline-block h-2 w-2 rounded-full ${dot}`} aria-hidden />
      {state === "live" ? "Live" : state === "connecting" ? "Connecting…" : "Reconnecting…"}
      {updatedAt && <span>· updated {updatedAt}</span>}
    </p>
  );
}

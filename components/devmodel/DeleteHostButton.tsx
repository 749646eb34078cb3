"use client";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import type { ActionResult } from "@/lib/auth/guard";

export function DeleteHostButton({ id, name, action }: { id: string; name: string; action: (input: unknown) => Promise<ActionResult<unknown>> }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [pending, start] = useTransition();
  return (
    <div>
      <button
        type="button"
        disabled={pending}
        className="rounded-md border border-red-600 px-3 py-2 text-sm text-red-700 hover:bg-red-50 disabled:opacity-60 dark:text-red-300 dark:hover:bg-red-950"
        onClick={() => {
          if (!window.confirm(`Remove host ${name} and its history?`)) return;
          start(async () => {
            const r = await action({ id });
            if (r.ok) router.push("/hosts");
            else setError(r.message);
          });
        }}
      >
        {pending ? "Removing…" : `Remove ${name}`}
      </button>
      {error && <p role="alert" className="mt-1 text-sm text-red-600">{error}</p>}
    </div>
  );
}

"use client";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import type { ActionResult } from "@/lib/auth/guard";
import { Notice } from "@/components/ui/Notice";
import { dangerButtonClass } from "@/components/ui/styles";

export function DeleteHostButton({ id, name, action }: { id: string; name: string; action: (input: unknown) => Promise<ActionResult<unknown>> }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [pending, start] = useTransition();
  return (
    <div>
      <button
        type="button"
        disabled={pending}
        className={dangerButtonClass}
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
      {error && (
        <Notice role="alert" tone="error" plain className="mt-1">
          {error}
        </Notice>
      )}
    </div>
  );
}

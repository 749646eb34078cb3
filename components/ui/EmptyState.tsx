import type { ReactNode } from "react";

/** What a list or section says when it has nothing to show. */
export function EmptyState({ children, className }: { children: ReactNode; className?: string }) {
  return <p className={["text-sm text-muted", className].filter(Boolean).join(" ")}>{children}</p>;
}

import Link from "@/components/ui/Link";
import type { ReactNode } from "react";
import { linkClass } from "./styles";

/** "← All meetings": the way up from a detail page, first on the page. */
export function BackLink({ href, children, className }: { href: string; children: ReactNode; className?: string }) {
  return (
    <p className={["no-print text-sm", className].filter(Boolean).join(" ")}>
      <Link href={href} className={linkClass}>
        ← {children}
      </Link>
    </p>
  );
}

"use client";
import Link from "@/components/ui/Link";
import { Card } from "@/components/ui/Card";
import { buttonClass, linkClass } from "@/components/ui/styles";

/**
 * A page that failed on the server or in the browser, inside the shell. It never shows
 * the error's message or stack (a server error reaches the browser as a generic message
 * anyway); it gives the reference that finds the error in the server's log, and a retry
 * that fetches the page again.
 */
export default function PageError({ error, retry }: { error: unknown; retry: () => void }) {
  const digest = error instanceof Error && "digest" in error && typeof error.digest === "string" ? error.digest : null;
  return (
    <Card as="section" padding="lg" role="alert" aria-labelledby="page-error" className="mx-auto mt-8 max-w-xl space-y-3">
      <h1 id="page-error" className="text-2xl font-semibold">
        This page could not be shown
      </h1>
      <p className="text-sm">
        Something went wrong while loading it. Try again; if it keeps failing, tell an admin{digest ? " and give them the reference below" : ""}.
      </p>
      {digest && (
        <p className="text-sm text-muted">
          Reference: <code data-testid="error-digest">{digest}</code>
        </p>
      )}
      <div className="flex flex-wrap items-center gap-4">
        <button type="button" className={buttonClass} onClick={() => retry()}>
          Try again
        </button>
        <Link href="/" className={`text-sm ${linkClass}`}>
          Go to the dashboard
        </Link>
      </div>
    </Card>
  );
}

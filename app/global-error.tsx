"use client";
import { Card } from "@/components/ui/Card";
import { buttonClass } from "@/components/ui/styles";
import "./globals.css";

/**
 * When even the root layout fails: its own document (Next replaces the layout), the
 * app's styles, no message or stack, a retry.
 */
export default function GlobalError({ retry }: { error: unknown; retry: () => void }) {
  return (
    <html lang="en">
      <body className="min-h-screen antialiased">
        <Card as="main" padding="lg" className="mx-auto mt-24 max-w-md space-y-3">
          <h1 className="text-2xl font-semibold">dmboard could not be shown</h1>
          <p className="text-sm">Something went wrong on the server. Try again in a moment; if it keeps failing, tell an admin.</p>
          <button type="button" className={buttonClass} onClick={() => retry()}>
            Try again
          </button>
        </Card>
      </body>
    </html>
  );
}

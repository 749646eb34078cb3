import Link from "@/components/ui/Link";

/** Our own 404: Next's default page styles itself inline, which the CSP (proxy.ts) refuses. */
export default function NotFound() {
  return (
    <main className="mx-auto mt-24 max-w-md p-8 text-center">
      <h1 className="text-2xl font-semibold">Page not found</h1>
      <p className="mt-2 text-sm text-muted">There is nothing at this address.</p>
      <p className="mt-4">
        <Link href="/" className="underline">
          Back to dmboard
        </Link>
      </p>
    </main>
  );
}

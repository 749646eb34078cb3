import Link from "@/components/ui/Link";
import { Card } from "@/components/ui/Card";
import { linkClass } from "@/components/ui/styles";

/** The app's 404, inside the shell: what happened, and the ways on. */
export function NotFound() {
  return (
    <Card as="section" padding="lg" aria-labelledby="not-found" className="mx-auto mt-8 max-w-xl space-y-3">
      <h1 id="not-found" className="text-2xl font-semibold">
        Page not found
      </h1>
      <p className="text-sm text-muted">There is nothing at this address. It may have been mistyped, or what it showed was deleted.</p>
      <ul className="flex flex-wrap gap-x-4 gap-y-1 text-sm">
        <li>
          <Link href="/" className={linkClass}>
            Dashboard
          </Link>
        </li>
        <li>
          <Link href="/meetings" className={linkClass}>
            Meetings
          </Link>
        </li>
        <li>
          <Link href="/items" className={linkClass}>
            Action items
          </Link>
        </li>
        <li>
          <Link href="/vms" className={linkClass}>
            VMs
          </Link>
        </li>
      </ul>
    </Card>
  );
}

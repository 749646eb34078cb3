import Link from "@/components/ui/Link";
import { Card } from "@/components/ui/Card";
import { linkClass } from "@/components/ui/styles";

// Public page: says why, never what the page held.
export default async function ForbiddenPage({ searchParams }: { searchParams: Promise<{ need?: string }> }) {
  const need = (await searchParams).need;
  return (
    <Card as="main" padding="lg" className="mx-auto mt-24 max-w-md">
      <h1 className="text-xl font-semibold">Not allowed</h1>
      <p className="mt-2 text-muted">
        {need ? `This page needs the ${need.replace(/[^a-z]/g, "")} role.` : "Your role does not allow this."} Ask an admin if you need it.
      </p>
      <Link href="/" className={`mt-4 inline-block ${linkClass}`}>
        Back to the dashboard
      </Link>
    </Card>
  );
}

import { notFound } from "next/navigation";
import { requirePageRole } from "@/lib/auth/guard";

/**
 * Any address no page answers: the app's 404 inside the shell (../not-found.tsx) for a
 * signed-in user, instead of Next's bare page outside the app. Signing in comes first,
 * as everywhere: an anonymous visitor learns nothing of which addresses exist.
 */
export default async function MissingPage({ params }: { params: Promise<{ missing: string[] }> }) {
  const { missing } = await params;
  await requirePageRole("viewer", `/${missing.map(encodeURIComponent).join("/")}`);
  notFound();
}

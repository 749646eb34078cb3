import type { Metadata } from "next";
import Link from "next/link";
import { requirePageRole } from "@/lib/auth/guard";
import { listPeople } from "@/lib/people/reads";

export const metadata: Metadata = { title: "People" };
export const dynamic = "force-dynamic";

export default async function PeoplePage() {
  await requirePageRole("viewer", "/people");
  const people = await listPeople();
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold">People</h1>
      <table className="w-full max-w-3xl text-sm" aria-label="People">
        <thead className="text-left text-muted">
          <tr><th scope="col" className="py-1 pr-3">Name</th><th scope="col" className="pr-3">Organisation</th><th scope="col" className="pr-3 text-right">Open items</th><th scope="col" className="text-right">Meetings</th></tr>
        </thead>
        <tbody>
          {people.map((p) => (
            <tr key={p.id} className="border-t border-border">
              <td className="py-1.5 pr-3"><Link href={`/people/${p.id}`} className="underline-offset-2 hover:underline">{p.displayName}</Link></td>
              <td className="pr-3">{p.organisation ?? ""}</td>
              <td className="pr-3 text-right">{p.open}</td>
              <td className="text-right">{p.meetings}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

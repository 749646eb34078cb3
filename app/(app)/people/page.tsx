import type { Metadata } from "next";
import Link from "@/components/ui/Link";
import { requirePageRole } from "@/lib/auth/guard";
import { listPeople } from "@/lib/people/reads";
import { linkClass } from "@/components/ui/styles";
import { THead, Table, Td, Th, Tr } from "@/components/ui/Table";

export const metadata: Metadata = { title: "People" };
export const dynamic = "force-dynamic";

export default async function PeoplePage() {
  await requirePageRole("viewer", "/people");
  const people = await listPeople();
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold">People</h1>
      <Table aria-label="People" wrapperClassName="max-w-3xl">
        <THead>
          <tr>
            <Th>Name</Th>
            <Th>Organisation</Th>
            <Th className="text-right">Open items</Th>
            <Th className="text-right">Meetings</Th>
          </tr>
        </THead>
        <tbody>
          {people.map((p) => (
            <Tr key={p.id}>
              <Td>
                <Link href={`/people/${p.id}`} className={linkClass}>
                  {p.displayName}
                </Link>
              </Td>
              <Td>{p.organisation ?? ""}</Td>
              <Td className="text-right tabular-nums">{p.open}</Td>
              <Td className="text-right tabular-nums">{p.meetings}</Td>
            </Tr>
          ))}
        </tbody>
      </Table>
    </div>
  );
}

import type { Metadata } from "next";
import { requirePageRole } from "@/lib/auth/guard";
import { peopleChoices } from "@/lib/people/reads";
import { listUsers } from "@/lib/users/reads";
import { CreateUserForm } from "@/components/auth/CreateUserForm";
import { RoleSelect } from "@/components/auth/RoleSelect";
import { PersonLink } from "@/components/auth/PersonLink";
import { THead, Table, Td, Th, Tr } from "@/components/ui/Table";
import { createUserAction, linkPersonAction, setRoleAction } from "./actions";

export const metadata: Metadata = { title: "Users" };
export const dynamic = "force-dynamic";

export default async function UsersPage() {
  await requirePageRole("admin", "/admin/users");
  const [users, people] = await Promise.all([listUsers(), peopleChoices()]);
  return (
    <div className="space-y-8">
      <h1 className="text-2xl font-semibold">Users</h1>
      <section aria-labelledby="new-user">
        <h2 id="new-user" className="mb-3 text-lg font-semibold">
          Add a user
        </h2>
        <CreateUserForm action={createUserAction} />
      </section>
      <section aria-labelledby="all-users">
        <h2 id="all-users" className="mb-3 text-lg font-semibold">
          All users ({users.length})
        </h2>
        <Table aria-label="Users">
          <THead>
            <tr>
              <Th>Email</Th>
              <Th>Name</Th>
              <Th>Role</Th>
              <Th>Person in the minutes</Th>
              <Th>Since</Th>
            </tr>
          </THead>
          <tbody>
            {users.map((u) => (
              <Tr key={u.id} className="align-middle">
                <Td>{u.email}</Td>
                <Td>{u.name}</Td>
                <Td>
                  <RoleSelect action={setRoleAction} userId={u.id} role={u.role} email={u.email} />
                </Td>
                <Td>
                  <PersonLink action={linkPersonAction} userId={u.id} email={u.email} personId={u.personId} people={people} />
                </Td>
                <Td>{u.createdAt.toISOString().slice(0, 10)}</Td>
              </Tr>
            ))}
          </tbody>
        </Table>
      </section>
    </div>
  );
}

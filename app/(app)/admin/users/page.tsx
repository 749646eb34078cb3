import type { Metadata } from "next";
import { requirePageRole } from "@/lib/auth/guard";
import { peopleChoices } from "@/lib/people/reads";
import { listUsers } from "@/lib/users/reads";
import { CreateUserForm } from "@/components/auth/CreateUserForm";
import { RoleSelect } from "@/components/auth/RoleSelect";
import { PersonLink } from "@/components/auth/PersonLink";
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
        <h2 id="new-user" className="mb-3 text-lg font-semibold">Add a user</h2>
        <CreateUserForm action={createUserAction} />
      </section>
      <section aria-labelledby="all-users">
        <h2 id="all-users" className="mb-3 text-lg font-semibold">All users ({users.length})</h2>
        <table className="w-full text-sm">
          <thead className="text-left text-muted"><tr><th className="py-2">Email</th><th>Name</th><th>Role</th><th>Person in the minutes</th><th>Since</th></tr></thead>
          <tbody>
            {users.map((u) => (
              <tr key={u.id} className="border-t border-border">
                <td className="py-2">{u.email}</td>
                <td>{u.name}</td>
                <td><RoleSelect action={setRoleAction} userId={u.id} role={u.role} email={u.email} /></td>
                <td><PersonLink action={linkPersonAction} userId={u.id} email={u.email} personId={u.personId} people={people} /></td>
                <td>{u.createdAt.toISOString().slice(0, 10)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </div>
  );
}

import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { requirePageRole } from "@/lib/auth/guard";
import { embeddedSimSocket, hostForm } from "@/lib/hosts/hosts";
import { HostForm } from "@/components/devmodel/HostForm";
import { DeleteHostButton } from "@/components/devmodel/DeleteHostButton";
import { deleteHostAction, testConnectionAction, updateHostAction } from "../../actions";
import { BackLink } from "@/components/ui/BackLink";

export const metadata: Metadata = { title: "Edit host" };
export const dynamic = "force-dynamic";

export default async function EditHostPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  await requirePageRole("admin", `/hosts/${id}/edit`);
  const h = await hostForm(id);
  if (!h) notFound();
  return (
    <div className="space-y-6">
      <BackLink href="/hosts">Hosts</BackLink>
      <h1 className="text-2xl font-semibold">Edit host {h.name}</h1>
      <HostForm action={updateHostAction} testAction={testConnectionAction} simSocket={embeddedSimSocket()} initial={h} />
      <section aria-labelledby="danger" className="border-t border-border pt-4">
        <h2 id="danger" className="mb-2 text-lg font-semibold">
          Remove
        </h2>
        <p className="mb-2 text-sm text-muted">Stops reading this host and deletes its stored history. Nothing on the host changes.</p>
        <DeleteHostButton id={h.id} name={h.name} action={deleteHostAction} />
      </section>
    </div>
  );
}

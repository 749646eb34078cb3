import Link from "@/components/ui/Link";
import { requirePageRole } from "@/lib/auth/guard";
import { Card } from "@/components/ui/Card";
import { linkClass } from "@/components/ui/styles";
import { backupStatus } from "@/lib/backup/schedule";
import { BackupStatus } from "@/components/admin/BackupStatus";

export const dynamic = "force-dynamic";

export default async function AdminPage() {
  await requirePageRole("admin", "/admin");
  const backups = backupStatus();
  const links = [
    { href: "/admin/users", title: "Users", text: "Create accounts and change roles." },
    { href: "/hosts", title: "Hosts", text: "Register Xen hosts and test their connections." },
    { href: "/admin/rules", title: "XenStore-use rules", text: "Which key patterns reveal which dependency, and the topic that retires it." },
    { href: "/admin/reminders", title: "E-mail digests", text: "When reminders of due and overdue items go out, and what was sent." },
  ];
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold">Admin</h1>
      <ul className="grid gap-4 sm:grid-cols-3">
        {links.map((l) => (
          <Card as="li" key={l.href}>
            <Link href={l.href} className={`font-semibold ${linkClass}`}>
              {l.title}
            </Link>
            <p className="mt-1 text-sm text-muted">{l.text}</p>
          </Card>
        ))}
      </ul>
      <BackupStatus status={backups} now={backups.readAt} />
    </div>
  );
}

import type { Metadata } from "next";
import Link from "@/components/ui/Link";
import { notFound } from "next/navigation";
import { requirePageRole } from "@/lib/auth/guard";
import { roleAtLeast } from "@/lib/auth/roles";
import { getMeeting } from "@/lib/meetings/reads";
import { MeetingView } from "@/components/meetings/MeetingView";
import { PrintButton } from "@/components/meetings/PrintButton";
import { ExportMinutes } from "@/components/minutes/ExportMinutes";
import { BackLink } from "@/components/ui/BackLink";
import { secondaryButtonClass } from "@/components/ui/styles";

export const metadata: Metadata = { title: "Meeting" };
export const dynamic = "force-dynamic";

export default async function MeetingPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const actor = await requirePageRole("viewer", `/meetings/${id}`);
  const m = await getMeeting(id);
  if (!m) notFound();
  return (
    <div className="space-y-4">
      <div className="no-print flex flex-wrap gap-2">
        <BackLink href="/meetings" className="mr-auto self-center">
          All meetings
        </BackLink>
        {roleAtLeast(actor.role, "editor") && (
          <Link href={`/meetings/${m.id}/edit`} className={secondaryButtonClass}>
            Edit
          </Link>
        )}
        <a href={`/api/meetings/${m.id}/markdown`} className={secondaryButtonClass}>
          Export Markdown
        </a>
        <ExportMinutes meetingId={m.id} />
        <PrintButton className={secondaryButtonClass} />
      </div>
      <MeetingView m={m} />
    </div>
  );
}

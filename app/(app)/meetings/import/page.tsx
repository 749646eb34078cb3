import type { Metadata } from "next";
import { requirePageRole } from "@/lib/auth/guard";
import { seriesChoices } from "@/lib/meetings/reads";
import { ImportMinutes } from "@/components/minutes/ImportMinutes";
import { commitImportAction, importMessageAction, previewImportAction } from "./actions";
import { BackLink } from "@/components/ui/BackLink";

export const metadata: Metadata = { title: "Import minutes" };
export const dynamic = "force-dynamic";

export default async function ImportMinutesPage() {
  await requirePageRole("editor", "/meetings/import");
  const series = await seriesChoices();
  return (
    <div className="space-y-4">
      <BackLink href="/meetings">All meetings</BackLink>
      <h1 className="text-2xl font-semibold">Import minutes</h1>
      <p className="text-sm text-muted">
        Paste minutes as posted to xen-devel, or upload the list archive&apos;s page (.txt), a mail (.eml) or an mbox. Nothing is written until you commit.
      </p>
      <ImportMinutes series={series} actions={{ preview: previewImportAction, commit: commitImportAction, importMessage: importMessageAction }} />
    </div>
  );
}

import { describeEvidence, type Evidence } from "@/lib/evidence/assess";
import { Badge, type BadgeTone } from "@/components/ui/Badge";

const LOOK: Record<Evidence["state"], { tone: BadgeTone; text: (e: Evidence) => string }> = {
  free: { tone: "good", text: () => "Fleet: ready to close" },
  waiting: { tone: "info", text: (e) => `Fleet: gone since ${e.freeSince?.slice(0, 10)}` },
  present: { tone: "warn", text: (e) => `Fleet: still on ${e.present} VM${e.present === 1 ? "" : "s"}` },
  insufficient: { tone: "muted", text: () => "Fleet: no evidence yet" },
  unlinked: { tone: "muted", text: () => "No dependency linked" },
};

/** What the fleet's reads say of an item's dependencies, as a short state with the full sentence as its title. */
export function EvidenceBadge({ evidence }: { evidence: Evidence }) {
  const look = LOOK[evidence.state];
  return (
    <Badge tone={look.tone} title={describeEvidence(evidence)} data-evidence={evidence.state}>
      {look.text(evidence)}
    </Badge>
  );
}

import type { Metadata } from "next";
import Link from "@/components/ui/Link";
import { requirePageRole } from "@/lib/auth/guard";
import { personOfUser } from "@/lib/people/reads";
import { listTokens } from "@/lib/tokens/reads";
import { ApiTokens } from "@/components/people/ApiTokens";
import { linkClass } from "@/components/ui/styles";
import { createApiTokenAction, revokeApiTokenAction } from "./actions";
import { digestOptIn, digestSettings } from "@/lib/reminders/reads";
import { describeDigestSchedule } from "@/lib/reminders/schedule";
import { smtpDisplay } from "@/lib/reminders/mailer";
import { DigestOptIn } from "@/components/reminders/DigestOptIn";
import { setDigestAction } from "./digest-actions";

export const metadata: Metadata = { title: "Account" };
export const dynamic = "force-dynamic";

export default async function AccountPage() {
  const actor = await requirePageRole("viewer", "/account");
  const [tokens, person, digest, digestSchedule] = await Promise.all([
    listTokens(actor.userId),
    personOfUser(actor.userId),
    digestOptIn(actor.userId),
    digestSettings(),
  ]);
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold">Account</h1>
      <dl className="grid max-w-xl grid-cols-[8rem_1fr] gap-y-1 text-sm">
        <dt className="text-muted">Name</dt>
        <dd>{actor.name}</dd>
        <dt className="text-muted">Email</dt>
        <dd>{actor.email}</dd>
        <dt className="text-muted">Role</dt>
        <dd>{actor.role}</dd>
        <dt className="text-muted">Person</dt>
        <dd>
          {person ? (
            <Link href={`/people/${person.id}`} className={linkClass}>
              {person.displayName}
            </Link>
          ) : (
            "Not linked to a person of the working group (“My items” is empty)."
          )}
        </dd>
      </dl>
      <section aria-labelledby="digest-heading" className="space-y-3">
        <h2 id="digest-heading" className="text-lg font-semibold">
          E-mail digest
        </h2>
        <DigestOptIn
          subscribed={digest.subscribed}
          linked={digest.linked}
          schedule={describeDigestSchedule(digestSchedule, smtpDisplay() !== null)}
          action={setDigestAction}
        />
      </section>
      <section aria-labelledby="tokens-heading" className="space-y-3">
        <h2 id="tokens-heading" className="text-lg font-semibold">
          API tokens
        </h2>
        <p className="max-w-3xl text-sm text-muted">
          A token lets a script read <code>/api/v1/meetings</code> and <code>/api/v1/action-items</code> as you, with{" "}
          <code>Authorization: Bearer &lt;token&gt;</code>. Tokens only read. The token is shown once, when created; dmboard keeps only a hash of it.
        </p>
        <ApiTokens tokens={tokens} createAction={createApiTokenAction} revokeAction={revokeApiTokenAction} />
      </section>
    </div>
  );
}

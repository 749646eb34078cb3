import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { SignInForm } from "@/components/auth/SignInForm";
import { Card } from "@/components/ui/Card";
import { currentActor } from "@/lib/auth/actor";
import { oidcConfig } from "@/lib/auth/auth";
import { ssoErrorMessage } from "@/lib/auth/oidc";
import { safeNext } from "@/lib/auth/safe-next";
import { FIRST_ADMIN_COMMAND } from "@/lib/auth/users";
import { hasAnyAccount } from "@/lib/users/reads";

export const metadata: Metadata = { title: "Sign in" };
export const dynamic = "force-dynamic";

// Public page: the only one besides /forbidden (see tests/auth/guards.test.ts).
export default async function SignInPage({ searchParams }: { searchParams: Promise<{ next?: string; error?: string }> }) {
  const sp = await searchParams;
  const next = safeNext(sp.next);
  if (await currentActor()) redirect(next);
  const sso = oidcConfig();
  const firstRun = !(await hasAnyAccount());
  return (
    <Card as="main" padding="lg" className="mx-auto mt-24 max-w-sm shadow-sm">
      <h1 className="text-2xl font-semibold">dmboard</h1>
      <p className="mb-6 mt-1 text-sm text-muted">QEMU/Xen device-model working group</p>
      {firstRun && (
        <p role="note" className="mb-4 rounded-md border border-border p-3 text-sm">
          No account exists yet. Whoever runs this server creates the first admin there with <code className="break-all">{FIRST_ADMIN_COMMAND}</code>.
        </p>
      )}
      <SignInForm next={next} sso={sso?.name ?? null} ssoError={ssoErrorMessage(typeof sp.error === "string" ? sp.error : undefined)} />
    </Card>
  );
}

"use client";
import Link from "@/components/ui/Link";
import { useRouter } from "next/navigation";
import { authClient } from "@/lib/auth/client";
import { Badge } from "@/components/ui/Badge";

export function UserMenu({ name, email, role }: { name: string; email: string; role: string }) {
  const router = useRouter();
  async function signOut(everywhere: boolean) {
    if (everywhere) await authClient.revokeSessions();
    await authClient.signOut();
    router.replace("/sign-in");
    router.refresh();
  }
  return (
    <details className="relative">
      <summary className="cursor-pointer list-none rounded-md px-3 py-1.5 text-sm hover:bg-border" aria-label={`Account menu for ${name}`}>
        {name}{" "}
        <Badge className="ml-1" data-testid="user-role">
          {role}
        </Badge>
      </summary>
      <div className="absolute right-0 z-20 mt-1 w-64 rounded-md border border-border bg-card p-2 shadow-lg">
        <p className="px-2 py-1 text-xs text-muted">{email}</p>
        <Link href="/account" className="block rounded px-2 py-1.5 text-sm hover:bg-border">
          Account &amp; API tokens
        </Link>
        <button type="button" onClick={() => signOut(false)} className="block w-full rounded px-2 py-1.5 text-left text-sm hover:bg-border">
          Sign out
        </button>
        <button type="button" onClick={() => signOut(true)} className="block w-full rounded px-2 py-1.5 text-left text-sm hover:bg-border">
          Sign out everywhere
        </button>
      </div>
    </details>
  );
}

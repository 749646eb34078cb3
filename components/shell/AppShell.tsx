import Link from "@/components/ui/Link";
import { redirect } from "next/navigation";
import { currentActor } from "@/lib/auth/actor";
import { Nav } from "./Nav";
import { UserMenu } from "./UserMenu";

/**
 * The signed-in shell: skip link, header with the navigation and the account menu, the
 * page. Each page still checks its own role (layouts are not re-run on every
 * navigation, so they cannot be the guard).
 */
export async function AppShell({ children }: { children: React.ReactNode }) {
  const actor = await currentActor();
  if (!actor) redirect("/sign-in");
  return (
    <div className="min-h-screen">
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:rounded focus:bg-card focus:px-3 focus:py-2">
        Skip to content
      </a>
      <header className="border-b border-border bg-card">
        <div className="mx-auto flex max-w-7xl flex-wrap items-center gap-4 px-4 py-2">
          <Link href="/" className="text-lg font-bold tracking-tight">
            dm<span className="text-accent">board</span>
          </Link>
          <Nav isAdmin={actor.role === "admin"} />
          <div className="ml-auto">
            <UserMenu name={actor.name} email={actor.email} role={actor.role} />
          </div>
        </div>
      </header>
      <main id="main" className="mx-auto max-w-7xl px-4 py-6">
        {children}
      </main>
    </div>
  );
}

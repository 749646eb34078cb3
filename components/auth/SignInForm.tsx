"use client";
import { useState } from "react";
import { useRouter } from "next/navigation";
import { authClient } from "@/lib/auth/client";
import { useHydrated } from "@/components/ui/useHydrated";

export function SignInForm({ next, sso, ssoError = null }: { next: string; sso: string | null; ssoError?: string | null }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(ssoError);
  const [pending, setPending] = useState(false);
  const hydrated = useHydrated();

  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setPending(true);
    setError(null);
    const { error } = await authClient.signIn.email({ email: String(form.get("email")), password: String(form.get("password")) });
    setPending(false);
    if (error) {
      // A 429 says which limit and for how long (lib/auth/throttle.ts).
      setError(error.status === 429 ? (error.message ?? "Too many sign-in attempts. Try again later.") : "Wrong email or password.");
      return;
    }
    router.replace(next);
    router.refresh();
  }

  return (
    // POST, so that even a native submission never puts the password in a URL.
    <form method="post" onSubmit={onSubmit} className="space-y-4" noValidate>
      <div>
        <label htmlFor="email" className="block text-sm font-medium">
          Email
        </label>
        <input
          id="email"
          name="email"
          type="email"
          autoComplete="username"
          required
          className="mt-1 w-full rounded-md border border-border bg-card px-3 py-2"
        />
      </div>
      <div>
        <label htmlFor="password" className="block text-sm font-medium">
          Password
        </label>
        <input
          id="password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          className="mt-1 w-full rounded-md border border-border bg-card px-3 py-2"
        />
      </div>
      {error && (
        <p role="alert" className="text-sm text-red-600 dark:text-red-400">
          {error}
        </p>
      )}
      <button
        type="submit"
        disabled={pending || !hydrated}
        className="w-full rounded-md bg-indigo-700 px-3 py-2 font-medium text-white hover:bg-indigo-800 disabled:opacity-60"
      >
        {pending ? "Signing in…" : "Sign in"}
      </button>
      {sso && (
        <button
          type="button"
          disabled={pending}
          onClick={async () => {
            setError(null);
            setPending(true);
            // A failed callback comes back to this page with ?error=… (shown by the page).
            const { error } = await authClient.signIn.social({
              provider: "oidc",
              callbackURL: next,
              errorCallbackURL: `/sign-in?next=${encodeURIComponent(next)}`,
            });
            if (error) {
              setPending(false);
              setError(error.message || "Single sign-on is not available right now.");
            }
          }}
          className="w-full rounded-md border border-border px-3 py-2"
        >
          Sign in with {sso}
        </button>
      )}
    </form>
  );
}

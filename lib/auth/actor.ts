import { cache } from "react";
import { headers } from "next/headers";
import { getAuth } from "./auth";
import { isRole, type Role } from "./roles";
import { userForToken } from "@/lib/tokens/reads";

/** Who is asking: the signed-in user (or API token owner) with their role. */
export interface Actor {
  userId: string;
  email: string;
  name: string;
  role: Role;
  via: "session" | "token";
}

type UserLike = { id: string; email: string; name: string; role?: unknown; banned?: boolean | null };

function toActor(user: UserLike, via: Actor["via"]): Actor | null {
  if (user.banned) return null;
  // A role the code does not know grants nothing (fail closed).
  if (!isRole(user.role)) return null;
  return { userId: user.id, email: user.email, name: user.name, role: user.role, via };
}

/** Session actor from request headers (route handlers, tests). */
export async function actorFromHeaders(h: Headers, opts: { allowToken?: boolean } = {}): Promise<Actor | null> {
  const authz = h.get("authorization");
  if (opts.allowToken && authz?.startsWith("Bearer ")) {
    const user = await userForToken(authz.slice("Bearer ".length).trim());
    return user ? toActor(user, "token") : null;
  }
  const session = await getAuth().api.getSession({ headers: h });
  return session ? toActor(session.user as UserLike, "session") : null;
}

/** The actor of the current request (server components and server actions), once per request. */
export const currentActor = cache(async (): Promise<Actor | null> => actorFromHeaders(await headers()));

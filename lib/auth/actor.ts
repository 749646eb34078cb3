import { cache } from "react";
import { headers } from "next/headers";
import { getDb } from "@/lib/db/client";
import { getAuth } from "./auth";
import { memoSession } from "./session-memo";
import { isRole, type Role } from "./roles";
import { userForToken } from "@/lib/tokens/reads";
import { userForFeedToken } from "@/lib/calendar/feed-tokens";

/** Who is asking: the signed-in user (or API token owner) with their role. */
export interface Actor {
  userId: string;
  email: string;
  name: string;
  role: Role;
  /** token: an API token; feed: a calendar feed token (opens the feed routes only). */
  via: "session" | "token" | "feed";
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
  const cookie = h.get("cookie");
  const read = () => getAuth().api.getSession({ headers: h });
  const session = cookie ? await memoSession(getDb(), cookie, read, (s) => new Date(s.session.expiresAt).getTime()) : await read();
  return session ? toActor(session.user as UserLike, "session") : null;
}

/** The actor a calendar feed token stands for (a `?token=` in a feed URL), or null. */
export async function actorFromFeedToken(token: string): Promise<Actor | null> {
  const user = await userForFeedToken(token);
  return user ? toActor(user, "feed") : null;
}

/** The actor of the current request (server components and server actions), once per request. */
export const currentActor = cache(async (): Promise<Actor | null> => actorFromHeaders(await headers()));

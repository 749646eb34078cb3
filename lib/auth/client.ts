"use client";
import { createAuthClient } from "better-auth/react";

/** Browser-side better-auth client (same origin). */
export const authClient = createAuthClient();

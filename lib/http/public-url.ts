/**
 * The origin users reach dmboard at, for links that leave the browser (calendar feeds,
 * e-mail): BETTER_AUTH_URL, as for sign-in, else the local default `npm start` uses.
 */
import { trimEndChars } from "@/lib/minutes/text";

export function publicBaseUrl(env: Record<string, string | undefined> = process.env): string {
  return trimEndChars(env.BETTER_AUTH_URL || `http://localhost:${env.PORT || 3000}`, "/");
}

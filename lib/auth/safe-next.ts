/** A placeholder origin: `next` is resolved against it, and only what stays on it is kept. */
const ORIGIN = "http://dmboard.invalid";

/**
 * Only same-origin paths may be redirect targets after sign-in (no open redirects).
 * `next` is resolved the way a browser would resolve it (tabs and newlines dropped,
 * backslashes read as slashes), so "/\t/evil.example" is seen for the protocol-relative
 * "//evil.example" it becomes; the result is the resolved path, query and fragment,
 * percent-encoded, so it is also always a valid Location header.
 */
export function safeNext(next: string | undefined): string {
  if (!next || !next.startsWith("/")) return "/";
  let url: URL;
  try {
    url = new URL(next, ORIGIN);
  } catch {
    return "/";
  }
  if (url.origin !== ORIGIN) return "/";
  return `${url.pathname}${url.search}${url.hash}`;
}

/**
 * Upload size: one number for every layer (issue 10: the server actions allowed 12 MB,
 * the proxy 10 MB, the decoder 10 MB, and a file in between failed obscurely).
 * next.config.ts sizes the request limits from it, lib/minutes/input.ts refuses larger
 * input, and the import form checks it in the browser before sending anything.
 * Plain constants, no imports: next.config.ts and client components read this file.
 */

/** The largest file or pasted text an import accepts: an mbox of years of minutes. */
export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;

/** Room for the rest of a multipart form around the upload (boundaries, other fields). */
const FORM_ENVELOPE_BYTES = 256 * 1024;

/** The largest request body a server action (or the proxy in front of it) accepts. */
export const MAX_REQUEST_BYTES = MAX_UPLOAD_BYTES + FORM_ENVELOPE_BYTES;

/** "10.0 MB": how sizes are said to users. */
export function formatMegabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** A single wait with a bound: `work`'s outcome, or `expired()` after `ms` (its late outcome is dropped). */
import { checkTimeout } from "@/lib/devmodel/timeouts";

export function withDeadline<T>(work: Promise<T>, ms: number, expired: () => Error): Promise<T> {
  checkTimeout(ms, "deadline");
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(expired()), ms);
    work.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e);
      },
    );
  });
}

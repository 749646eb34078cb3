"use client";
import { useSyncExternalStore } from "react";

const never = () => () => {};

/**
 * False in the server's HTML and until React has hydrated the component, true after.
 * Forms that submit through onSubmit keep their submit button disabled until then:
 * a click before hydration would submit natively (the fields in a GET URL), and
 * what was typed before hydration can be reset by it.
 */
export function useHydrated(): boolean {
  return useSyncExternalStore(
    never,
    () => true,
    () => false,
  );
}

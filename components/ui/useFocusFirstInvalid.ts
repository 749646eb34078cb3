"use client";
import { useEffect, type RefObject } from "react";

const FOCUSABLE = "input:not([type=hidden]), select, textarea, button";

/**
 * After a save the server refused for bad fields, move the focus to the first field
 * marked invalid (aria-invalid), so the keyboard and screen-reader user lands on what
 * to fix instead of staying on the button. A fieldset marked invalid (a group of
 * checkboxes) gives the focus to its first control.
 */
export function useFocusFirstInvalid(form: RefObject<HTMLElement | null>, state: { ok: boolean; fieldErrors?: Record<string, string[]> } | null) {
  useEffect(() => {
    if (!state || state.ok || !state.fieldErrors || Object.keys(state.fieldErrors).length === 0) return;
    const bad = form.current?.querySelector<HTMLElement>('[aria-invalid="true"]');
    const target = bad && !bad.matches(FOCUSABLE) ? bad.querySelector<HTMLElement>(FOCUSABLE) : bad;
    target?.focus();
  }, [form, state]);
}

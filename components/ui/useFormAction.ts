"use client";
import { startTransition, useActionState, useEffect, useRef, type FormEvent } from "react";
import type { ActionState } from "@/lib/auth/guard";
import { useFocusFirstInvalid } from "./useFocusFirstInvalid";

type Action<T> = (prev: ActionState<T>, form: FormData) => Promise<ActionState<T>>;

/**
 * useActionState for forms that must not lose what the user typed. React resets a
 * <form action={…}> after every submission, which would wipe the fields exactly when
 * the server says one of them is wrong; submitting through onSubmit keeps them, and
 * the form is reset only after a successful save (when asked).
 */
export function useFormAction<T>(action: Action<T>, opts: { resetOnSuccess?: boolean; formData?: (data: FormData) => FormData } = {}) {
  const [state, dispatch, pending] = useActionState(action, null);
  const ref = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (state?.ok && opts.resetOnSuccess) ref.current?.reset();
  }, [state, opts.resetOnSuccess]);
  useFocusFirstInvalid(ref, state);
  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    const sent = opts.formData ? opts.formData(data) : data;
    startTransition(() => dispatch(sent));
  };
  const fieldErrors: Record<string, string[]> = state && !state.ok ? (state.fieldErrors ?? {}) : {};
  return { state, pending, onSubmit, ref, fieldErrors };
}

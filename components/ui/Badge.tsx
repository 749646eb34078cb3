import type { HTMLAttributes } from "react";

export type BadgeTone = "neutral" | "info" | "accent" | "warn" | "good" | "bad" | "muted";

/** Soft: tinted background (states of hosts, VMs, rules). Outline: coloured border (item statuses). Solid: the loudest (overdue). */
export type BadgeVariant = "soft" | "outline" | "solid";

const LOOK: Record<BadgeVariant, Record<BadgeTone, string>> = {
  soft: {
    neutral: "bg-border text-fg",
    info: "bg-sky-100 text-sky-900 dark:bg-sky-900/40 dark:text-sky-200",
    accent: "bg-indigo-100 text-indigo-900 dark:bg-indigo-900/40 dark:text-indigo-200",
    warn: "bg-amber-100 text-amber-900 dark:bg-amber-900/40 dark:text-amber-200",
    good: "bg-green-100 text-green-900 dark:bg-green-900/40 dark:text-green-200",
    bad: "bg-red-100 text-red-900 dark:bg-red-900/40 dark:text-red-200",
    muted: "bg-slate-100 text-slate-700 dark:bg-slate-800 dark:text-slate-200",
  },
  outline: {
    neutral: "border border-border",
    info: "border border-sky-600 text-sky-800 dark:text-sky-300",
    accent: "border border-indigo-600 text-indigo-800 dark:text-indigo-300",
    warn: "border border-amber-600 text-amber-800 dark:text-amber-300",
    good: "border border-green-700 text-green-800 dark:text-green-300",
    bad: "border border-red-600 text-red-800 dark:text-red-300",
    muted: "border border-slate-500 text-slate-600 dark:text-slate-400",
  },
  solid: {
    neutral: "bg-slate-700 text-white",
    info: "bg-sky-700 text-white",
    accent: "bg-indigo-700 text-white",
    warn: "bg-amber-700 text-white",
    good: "bg-green-700 text-white",
    bad: "bg-red-700 text-white",
    muted: "bg-slate-500 text-white",
  },
};

/**
 * A short state as text (never colour alone, so it reads the same to a screen reader
 * and on paper). Areas map their states to a tone: items/StatusBadge, devmodel/Badges.
 */
export function Badge({
  tone = "neutral",
  variant = "soft",
  className,
  ...rest
}: { tone?: BadgeTone; variant?: BadgeVariant } & HTMLAttributes<HTMLSpanElement>) {
  return (
    <span
      className={["inline-block whitespace-nowrap rounded-full px-2 py-0.5 text-xs font-medium", LOOK[variant][tone], className].filter(Boolean).join(" ")}
      {...rest}
    />
  );
}

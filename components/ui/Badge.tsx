import type { HTMLAttributes } from "react";

export type BadgeTone = "neutral" | "info" | "accent" | "warn" | "good" | "bad" | "muted";

/** Soft: tinted background (states of hosts, VMs, rules). Outline: coloured border (item statuses). Solid: the loudest (overdue). */
export type BadgeVariant = "soft" | "outline" | "solid";

/**
 * A short state as text (never colour alone, so it reads the same to a screen reader
 * and on paper). Areas map their states to a tone: items/StatusBadge, devmodel/Badges.
 * Each variant and tone is a class in app/globals.css (`.badge-soft-good`…).
 */
export function Badge({
  tone = "neutral",
  variant = "soft",
  className,
  ...rest
}: { tone?: BadgeTone; variant?: BadgeVariant } & HTMLAttributes<HTMLSpanElement>) {
  return <span className={[`badge badge-${variant}-${tone}`, className].filter(Boolean).join(" ")} {...rest} />;
}

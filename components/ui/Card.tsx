import type { ComponentProps, ElementType } from "react";

const PADDING = { none: "", sm: "p-3", md: "p-4", lg: "p-8" } as const;

type CardProps<T extends ElementType> = { as?: T; padding?: keyof typeof PADDING } & Omit<ComponentProps<T>, "as">;

/**
 * The app's card: a bordered panel on the card colour. `as` keeps the element right for
 * what it holds (a section, a form, a list: `as="ul"` with `padding="none"`).
 */
export function Card<T extends ElementType = "div">({ as, padding = "md", className, ...rest }: CardProps<T>) {
  const Tag: ElementType = as ?? "div";
  return <Tag className={["rounded-lg border border-border bg-card", PADDING[padding], className].filter(Boolean).join(" ")} {...rest} />;
}

import type { ComponentProps } from "react";

const join = (...c: (string | false | undefined)[]) => c.filter(Boolean).join(" ");

/**
 * The app's data table: full width, scrolls sideways on a narrow screen instead of
 * squeezing, header cells padded apart. Name it (aria-label) so it can be found.
 */
export function Table({ className, wrapperClassName, ...rest }: ComponentProps<"table"> & { wrapperClassName?: string }) {
  return (
    <div className={join("overflow-x-auto", wrapperClassName)}>
      <table className={join("w-full text-left text-sm", className)} {...rest} />
    </div>
  );
}

export function THead({ className, ...rest }: ComponentProps<"thead">) {
  return <thead className={join("text-muted", className)} {...rest} />;
}

/** A header cell; a column's by default (scope="row" for a row's). */
export function Th({ className, scope = "col", ...rest }: ComponentProps<"th">) {
  return <th scope={scope} className={join("py-2 pr-4 align-bottom font-medium", className)} {...rest} />;
}

export function Tr({ className, ...rest }: ComponentProps<"tr">) {
  return <tr className={join("data-row", className)} {...rest} />;
}

export function Td({ className, ...rest }: ComponentProps<"td">) {
  return <td className={join("data-cell", className)} {...rest} />;
}

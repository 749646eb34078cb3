import { LINK_KINDS, LINK_KIND_LABELS } from "@/lib/items/schemas";
import { FormField } from "@/components/ui/Field";
import { inputClass } from "@/components/ui/styles";

type Part = "kind" | "url" | "title";

/**
 * A typed link's fields: kind, URL (http/https only, checked on the server), title.
 * The item page adds a link with them, a meeting's new action item takes one; each
 * form names them as its action reads them, and labels them as its context needs
 * (inside a "Link" fieldset the URL is "Link URL").
 */
export function LinkFields({
  id,
  names,
  labels,
  errors,
}: {
  /** The prefix of the controls' ids: `${id}-kind`, `${id}-url`, `${id}-title`. */
  id: string;
  names: Record<Part, string>;
  labels: Record<Part, string>;
  errors: (name: string) => string[] | undefined;
}) {
  return (
    <>
      <FormField id={`${id}-kind`} label={labels.kind} errors={errors(names.kind)}>
        {(control) => (
          <select name={names.kind} defaultValue="patch" className={inputClass} {...control}>
            {LINK_KINDS.map((k) => (
              <option key={k} value={k}>
                {LINK_KIND_LABELS[k]}
              </option>
            ))}
          </select>
        )}
      </FormField>
      <FormField id={`${id}-url`} label={labels.url} errors={errors(names.url)}>
        {(control) => <input name={names.url} type="url" inputMode="url" placeholder="https://lists.xenproject.org/…" className={inputClass} {...control} />}
      </FormField>
      <FormField id={`${id}-title`} label={labels.title} errors={errors(names.title)}>
        {(control) => <input name={names.title} className={inputClass} {...control} />}
      </FormField>
    </>
  );
}

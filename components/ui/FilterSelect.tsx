import { FormField } from "./Field";
import { inputClass, smallInputClass } from "./styles";

/**
 * A filter of a GET search form: a select whose first, empty choice (`all`) filters
 * nothing. Uncontrolled (defaultValue): the form is remounted when the URL changes.
 */
export function FilterSelect({
  name,
  label,
  value,
  options,
  errors,
  all,
  small = false,
}: {
  name: string;
  label: string;
  value: string;
  options: { value: string; label: string }[];
  errors?: string[];
  all: string;
  /** The dense look of a filter bar. */
  small?: boolean;
}) {
  return (
    <FormField id={`filter-${name}`} label={label} errors={errors}>
      {(control) => (
        <select name={name} defaultValue={value} className={small ? `mt-1 ${smallInputClass}` : inputClass} {...control}>
          <option value="">{all}</option>
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      )}
    </FormField>
  );
}

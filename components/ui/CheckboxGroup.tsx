import { FieldError, describedBy } from "./FieldError";

/**
 * Checkboxes under a legend (an item's owners, a meeting's topics), sent as `name` once
 * for each ticked box. The message is the group's: the fieldset is marked invalid, so a
 * refused save puts the focus on its first box (useFocusFirstInvalid).
 */
export function CheckboxGroup({
  id,
  legend,
  name,
  options,
  value,
  onChange,
  errors,
  className = "flex flex-wrap gap-x-4 gap-y-1",
}: {
  /** The message's id is `${id}-error`. */
  id: string;
  legend: string;
  name: string;
  options: { id: string; name: string }[];
  value: string[];
  onChange: (value: string[]) => void;
  errors?: string[];
  /** How the boxes are laid out. */
  className?: string;
}) {
  return (
    <fieldset {...describedBy(id, errors)}>
      <legend className="text-sm font-medium">{legend}</legend>
      <div className={`mt-1 ${className}`}>
        {options.map((o) => (
          <label key={o.id} className="flex items-center gap-2 text-sm">
            <input
              type="checkbox"
              name={name}
              value={o.id}
              checked={value.includes(o.id)}
              onChange={(e) => onChange(e.target.checked ? [...value, o.id] : value.filter((x) => x !== o.id))}
            />
            {o.name}
          </label>
        ))}
      </div>
      <FieldError id={id} errors={errors} />
    </fieldset>
  );
}

/** A labelled choice of one among named things (clients, team members), by id. */

/**
 * @example
 * <ChoiceField label="Supervisor" choices={supervisors} placeholder="Choose" value={supervisor} onChange={setSupervisor} required />
 */
export function ChoiceField(props: {
  label: string;
  choices: readonly { id: string; name: string }[];
  value: string;
  onChange: (id: string) => void;
  /** The words of a first choice with the empty value. */
  placeholder?: string;
  required?: boolean;
}) {
  return (
    <label className="field">
      <span>{props.label}</span>
      <select value={props.value} onChange={(e) => props.onChange(e.target.value)} required={props.required}>
        {props.placeholder !== undefined ? <option value="">{props.placeholder}</option> : null}
        {props.choices.map((c) => (
          <option key={c.id} value={c.id}>
            {c.name}
          </option>
        ))}
      </select>
    </label>
  );
}

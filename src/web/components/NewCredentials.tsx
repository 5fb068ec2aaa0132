/** A new username and password, typed twice: the end of the setup and invitation forms (the password alone: the reset form). */
import { useId, type InputHTMLAttributes } from 'react';

/**
 * A labelled input with a line of help: named by its label alone and described by the help
 * (inside the label, the help would otherwise be read as part of the name).
 */
export function HelpedField(props: { label: string; help: string } & InputHTMLAttributes<HTMLInputElement>) {
  const { label, help, ...input } = props;
  const id = useId();
  return (
    <label className="field">
      <span id={`${id}-label`}>{label}</span>
      <input {...input} aria-labelledby={`${id}-label`} aria-describedby={`${id}-help`} />
      <span id={`${id}-help`} className="muted small">
        {help}
      </span>
    </label>
  );
}
export interface Credentials {
  readonly username: string;
  readonly password: string;
  readonly again: string;
}

export const NO_CREDENTIALS: Credentials = { username: '', password: '', again: '' };

/** Why the two passwords cannot be sent, or null. */
export function credentialsProblem(c: Credentials): string | null {
  if (c.password !== c.again) return 'The two passwords are not the same.';
  if (/\s/.test(c.username)) return 'A username has no spaces.';
  return null;
}

export function NewCredentials(props: { value: Credentials; onChange: (c: Credentials) => void }) {
  const set = (field: keyof Credentials) => (e: { target: { value: string } }) => props.onChange({ ...props.value, [field]: e.target.value });
  return (
    <>
      <HelpedField
        label="Username"
        help="What you type to sign in: at least 3 characters, no spaces."
        name="username"
        autoComplete="username"
        minLength={3}
        maxLength={200}
        value={props.value.username}
        onChange={set('username')}
        required
      />
      <PasswordTwice value={props.value} onChange={(p) => props.onChange({ ...props.value, ...p })} />
    </>
  );
}

/** A new password typed twice (the reset page asks only this; `credentialsProblem` compares the two). */
export function PasswordTwice(props: { value: Pick<Credentials, 'password' | 'again'>; onChange: (p: Pick<Credentials, 'password' | 'again'>) => void; label?: string }) {
  const set = (field: 'password' | 'again') => (e: { target: { value: string } }) => props.onChange({ ...props.value, [field]: e.target.value });
  const label = props.label ?? 'Password';
  return (
    <>
      <HelpedField
        label={label}
        help="At least 12 characters. A short sentence is easy to remember and hard to guess."
        name="password"
        type="password"
        autoComplete="new-password"
        minLength={12}
        value={props.value.password}
        onChange={set('password')}
        required
      />
      <label className="field">
        <span>{label} again</span>
        <input name="password-again" type="password" autoComplete="new-password" minLength={12} value={props.value.again} onChange={set('again')} required />
      </label>
    </>
  );
}

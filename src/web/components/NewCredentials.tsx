/** A new username and password, typed twice: the end of the setup and invitation forms. */
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
      <label className="field">
        <span>Username</span>
        <input name="username" autoComplete="username" minLength={3} maxLength={200} value={props.value.username} onChange={set('username')} required />
        <span className="muted small">What you type to sign in: at least 3 characters, no spaces.</span>
      </label>
      <label className="field">
        <span>Password</span>
        <input name="password" type="password" autoComplete="new-password" minLength={12} value={props.value.password} onChange={set('password')} required aria-describedby="new-pw-help" />
        <span id="new-pw-help" className="muted small">
          At least 12 characters. A short sentence is easy to remember and hard to guess.
        </span>
      </label>
      <label className="field">
        <span>Password again</span>
        <input name="password-again" type="password" autoComplete="new-password" minLength={12} value={props.value.again} onChange={set('again')} required />
      </label>
    </>
  );
}

/** The team page's dialogs for a member's account: add, edit details, deactivate or reactivate, hand over ownership. */
import { useState, type ReactNode } from 'react';
import type { TeamMember } from '../../api.js';
import { Dialog, Notice } from '../../components/ui.js';
import { DialogButtons } from '../../components/DialogButtons.js';
import { ROLE_HINT, ROLE_LABEL } from '../../words.js';

const ROLE_ORDER = Object.keys(ROLE_LABEL);
/** Nobody is added as account owner: ownership is handed over (Transfer ownership). */
const ADDABLE_ROLES = ROLE_ORDER.filter((r) => r !== 'account_owner');

/** Checkboxes for roles, each with its hint. */
export function RoleChecks(props: { roles: readonly string[]; onChange: (roles: string[]) => void; choices?: readonly string[]; idPrefix?: string }) {
  const prefix = props.idPrefix ?? 'role';
  return (
    <fieldset className="checks">
      <legend>Roles</legend>
      {(props.choices ?? ROLE_ORDER).map((r) => (
        <div key={r} className="check">
          <input
            id={`${prefix}-${r}`}
            type="checkbox"
            checked={props.roles.includes(r)}
            aria-describedby={`${prefix}-${r}-hint`}
            onChange={(e) => props.onChange(e.target.checked ? [...props.roles, r] : props.roles.filter((x) => x !== r))}
          />
          <label htmlFor={`${prefix}-${r}`}>{ROLE_LABEL[r]}</label>
          <div id={`${prefix}-${r}-hint`} className="check-about muted small">
            {ROLE_HINT[r]}
          </div>
        </div>
      ))}
    </fieldset>
  );
}

function TextInput(props: { label: string; value: string; onChange: (v: string) => void; type?: 'text' | 'email'; required?: boolean; autoComplete?: string }) {
  return (
    <label className="field">
      <span>{props.label}</span>
      <input type={props.type ?? 'text'} value={props.value} onChange={(e) => props.onChange(e.target.value)} required={props.required} autoComplete={props.autoComplete ?? 'off'} />
    </label>
  );
}

/**
 * A new member: name, email and roles. Saving keeps the dialog open with its edits when the
 * server refuses (the error is shown above the fields), so nothing typed is lost.
 */
export function AddMemberDialog(props: { onClose: () => void; onAdd: (m: { name: string; email?: string; roles: string[] }) => Promise<string | null> }) {
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [roles, setRoles] = useState<string[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const save = async () => {
    setBusy(true);
    setError(await props.onAdd({ name: name.trim(), ...(email.trim() ? { email: email.trim() } : {}), roles }));
    setBusy(false);
  };
  return (
    <Dialog
      title="Add a team member"
      onClose={props.onClose}
      wide
      footer={
        <DialogButtons onCancel={props.onClose} onConfirm={() => void save()} disabled={busy || name.trim() === ''}>
          Add and invite
        </DialogButtons>
      }
    >
      {error ? <Notice kind="error">{error}</Notice> : null}
      <p className="muted">They get an invitation link to choose their own username and password. Until a client is assigned or shared with them, they see no clients.</p>
      <TextInput label="Name" value={name} onChange={setName} required />
      <TextInput label="Email" type="email" value={email} onChange={setEmail} autoComplete="off" />
      <RoleChecks roles={roles} onChange={setRoles} choices={ADDABLE_ROLES} idPrefix="new-role" />
    </Dialog>
  );
}

export function EditMemberDialog(props: { member: TeamMember; onClose: () => void; onSave: (d: { name: string; email: string | null }) => Promise<string | null> }) {
  const [name, setName] = useState(props.member.name);
  const [email, setEmail] = useState(props.member.email ?? '');
  const [error, setError] = useState<string | null>(null);
  return (
    <Dialog
      title={`Details of ${props.member.name}`}
      onClose={props.onClose}
      footer={
        <DialogButtons onCancel={props.onClose} onConfirm={() => void props.onSave({ name: name.trim(), email: email.trim() || null }).then(setError)} disabled={name.trim() === ''}>
          Save details
        </DialogButtons>
      }
    >
      {error ? <Notice kind="error">{error}</Notice> : null}
      <TextInput label="Name" value={name} onChange={setName} required />
      <TextInput label="Email" type="email" value={email} onChange={setEmail} />
    </Dialog>
  );
}

/** A yes-or-no question about a member, with what it will do. */
export function ConfirmDialog(props: { title: string; confirm: string; danger?: boolean; onClose: () => void; onConfirm: () => void; children: ReactNode }) {
  return (
    <Dialog
      title={props.title}
      onClose={props.onClose}
      footer={
        <DialogButtons onCancel={props.onClose} onConfirm={props.onConfirm} kind={props.danger ? 'danger' : 'primary'}>
          {props.confirm}
        </DialogButtons>
      }
    >
      {props.children}
    </Dialog>
  );
}

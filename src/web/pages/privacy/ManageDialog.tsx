/**
 * The Manage dialog of the Privacy tab (seed 000): a checkbox per team member and, for
 * clinical access, the primary clinician; each enabled or explained by the API's decision.
 */
import { useState } from 'react';
import { api, type PanelRow, type PrivacyTab } from '../../api.js';
import { useApp } from '../../context.js';
import { Dialog, Notice, type Outcome } from '../../components/ui.js';
import { DialogButtons } from '../../components/DialogButtons.js';
import { errorText, reasonText } from '../../words.js';
import { AccessCheckbox } from './AccessCheckbox.js';
import type { Kind } from './AccessSections.js';

/** What the dialog asks for: a new primary clinician, if any, and the boxes whose state changed. */
interface Changes {
  readonly kind: Kind;
  readonly client: string;
  readonly primary: string | null;
  readonly grants: readonly { member: string; grant: boolean; days: string }[];
}

/** Sends each change as its own command, so one refusal does not stop the others; says what was done and what was not. */
async function sendChanges(c: Changes, name: (member: string) => string): Promise<{ done: string[]; failed: string[] }> {
  const failed: string[] = [];
  const done: string[] = [];
  if (c.primary !== null) {
    try {
      await api.setPrimary(c.client, c.primary);
      done.push(`${name(c.primary)} is now the primary clinician`);
    } catch (e) {
      failed.push(`Primary clinician ${name(c.primary)}: ${errorText(e)}`);
    }
  }
  for (const { member, grant, days } of c.grants) {
    const n = Number(days);
    try {
      if (c.kind === 'clinical') {
        if (grant) await api.grantClinical(c.client, member, Number.isInteger(n) && n > 0 ? n : undefined);
        else await api.revokeClinical(c.client, member);
      } else if (grant) await api.grantAdministrative(c.client, member);
      else await api.revokeAdministrative(c.client, member);
      done.push(`${grant ? 'Granted' : 'Revoked'} ${c.kind} access for ${name(member)}`);
    } catch (e) {
      failed.push(`${name(member)}: ${errorText(e)}`);
    }
  }
  return { done, failed };
}

export function ManageDialog(props: {
  kind: Kind;
  tab: PrivacyTab;
  clientName: string;
  onClose: () => void;
  onSaved: (o: Outcome) => Promise<void>;
  reload: () => Promise<void>;
}) {
  const app = useApp();
  const t = props.tab;
  const [wanted, setWanted] = useState<Record<string, boolean>>({});
  const [days, setDays] = useState<Record<string, string>>({});
  const currentPrimary = t.primaryOptions.find((o) => o.selected)?.member ?? t.client.primary;
  const [primary, setPrimary] = useState(currentPrimary);
  const [errors, setErrors] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);

  const applicable = t.rows.filter((r) => r[props.kind].reason !== 'not_applicable' || r[props.kind].checked);
  const notApplicable = t.rows.filter((r) => !applicable.includes(r));
  const primaryChanged = props.kind === 'clinical' && primary !== currentPrimary;
  // Before saving, the list shows the chosen primary clinician as such (with access), and the one they replace as primary until then.
  const pending = (r: PanelRow): string | undefined =>
    !primaryChanged ? undefined : r.member === primary ? 'The new primary clinician: full access once you save.' : r.member === currentPrimary ? 'Primary clinician until you save.' : undefined;
  const isChecked = (r: PanelRow) => (primaryChanged && r.member === primary) || (wanted[r.member] ?? r[props.kind].checked);
  const changes = applicable.filter((r) => pending(r) === undefined && isChecked(r) !== r[props.kind].checked);

  async function save() {
    setBusy(true);
    const grants = changes.map((r) => ({ member: r.member, grant: isChecked(r), days: days[r.member] ?? '' }));
    const { done, failed } = await sendChanges({ kind: props.kind, client: t.client.id, primary: primaryChanged ? primary : null, grants }, (m) => app.memberName(m));
    setBusy(false);
    if (failed.length > 0) {
      setErrors(failed);
      setWanted({});
      await props.reload();
      return;
    }
    await props.onSaved(done.length ? { kind: 'success', text: `${done.join('. ')}.` } : null);
  }

  const title = props.kind === 'clinical' ? `Clinical access for ${props.clientName}` : `Administrative access for ${props.clientName}`;
  const footer = (
    <DialogButtons onCancel={props.onClose} onConfirm={() => void save()} disabled={busy || (changes.length === 0 && !primaryChanged)}>
      {busy ? 'Saving…' : 'Save'}
    </DialogButtons>
  );
  return (
    <Dialog title={title} onClose={props.onClose} wide footer={footer}>
      <ChangeErrors errors={errors} />
      {props.kind === 'clinical' ? (
        <PrimaryClinicianField tab={t} value={primary} onChange={setPrimary} />
      ) : (
        <p className="muted">Checked team members can see this client's profile and data within their role, in every area of ChartGuard.</p>
      )}
      <fieldset className="checks">
        <legend>{props.kind === 'clinical' ? 'Clinicians with access' : 'Team members with administrative access'}</legend>
        {applicable.map((r) => (
          <AccessCheckbox
            key={r.member}
            row={r}
            kind={props.kind}
            checked={isChecked(r)}
            pending={pending(r)}
            onChange={(v) => setWanted((w) => ({ ...w, [r.member]: v }))}
            days={days[r.member] ?? ''}
            onDays={(v) => setDays((d) => ({ ...d, [r.member]: v }))}
          />
        ))}
      </fieldset>
      <NotApplicable rows={notApplicable} kind={props.kind} />
    </Dialog>
  );
}

function ChangeErrors(props: { errors: readonly string[] }) {
  if (props.errors.length === 0) return null;
  return (
    <Notice kind="error">
      <p>Some changes were not made:</p>
      <ul>
        {props.errors.map((e) => (
          <li key={e}>{e}</li>
        ))}
      </ul>
    </Notice>
  );
}

/** The primary clinician choice: options that can't be chosen say why. */
function PrimaryClinicianField(props: { tab: PrivacyTab; value: string; onChange: (member: string) => void }) {
  const app = useApp();
  return (
    <label className="field">
      <span>Primary clinician</span>
      <select value={props.value} onChange={(e) => props.onChange(e.target.value)} aria-describedby="primary-help">
        {props.tab.primaryOptions.map((o) => (
          <option key={o.member} value={o.member} disabled={!o.enabled && !o.selected}>
            {app.memberName(o.member)}
            {!o.enabled && !o.selected && o.reason ? ` — ${reasonText(o.reason)}` : ''}
          </option>
        ))}
      </select>
      <span id="primary-help" className="muted small">
        The primary clinician always keeps full access. Options that can't be chosen say why.
      </span>
    </label>
  );
}

/** The members this kind of access does not apply to, folded away, their boxes shown as they are. */
function NotApplicable(props: { rows: readonly PanelRow[]; kind: Kind }) {
  if (props.rows.length === 0) return null;
  return (
    <details className="not-applicable">
      <summary>
        {props.rows.length} team member{props.rows.length === 1 ? '' : 's'} this access does not apply to
      </summary>
      <div className="checks">
        {props.rows.map((r) => (
          <AccessCheckbox key={r.member} row={r} kind={props.kind} checked={r[props.kind].checked} onChange={() => undefined} days="" onDays={() => undefined} />
        ))}
      </div>
    </details>
  );
}

/**
 * The Privacy tab (seeds 000 and 001): who has clinical and administrative access to a
 * client, the dialogs that change it, and restricted access on and off.
 *
 * Every checkbox, option and button shows the API's decision: the PrivacyTab document
 * says whether each can change and, when not, the refusal code we put into words.
 */
import { useState, type ReactNode } from 'react';
import { api, type ClientDetail, type PanelRow, type PrivacyTab } from '../api.js';
import { useApp } from '../context.js';
import { ActionButton, Badge, Dialog, Empty, Notice, Show, useLoad, type Outcome, OutcomeLine } from '../components/ui.js';
import { errorText, formatDate, reasonText, rolesText } from '../words.js';

type Kind = 'clinical' | 'administrative';
type Open = null | 'clinical' | 'administrative' | 'turn-on' | 'turn-off';

export function PrivacyTabView(props: { client: ClientDetail; onChanged: () => Promise<void> }) {
  const [tab, reload] = useLoad(() => api.privacy(props.client.id), [props.client.id]);
  const [open, setOpen] = useState<Open>(null);
  const [outcome, setOutcome] = useState<Outcome>(null);

  async function changed(o: Outcome) {
    setOpen(null);
    setOutcome(o);
    await Promise.all([reload(), props.onChanged()]);
  }

  async function share(on: boolean) {
    setOutcome(null);
    try {
      const r = await api.shareWithAll(props.client.id, on);
      await changed({ kind: 'success', text: r.summary || (on ? 'Shared with all clinicians.' : 'No longer shared with all clinicians.') });
    } catch (e) {
      setOutcome({ kind: 'error', text: errorText(e) });
    }
  }

  return (
    <Show value={tab} what="privacy settings">
      {(t) => (
        <div className="privacy">
          <RestrictionBar tab={t} onTurnOn={() => setOpen('turn-on')} onTurnOff={() => setOpen('turn-off')} />
          <OutcomeLine outcome={outcome} />
          <ClinicalSection tab={t} onManage={() => setOpen('clinical')} onShare={(on) => void share(on)} />
          <AdministrativeSection tab={t} onManage={() => setOpen('administrative')} />
          {open === 'clinical' || open === 'administrative' ? (
            <ManageDialog kind={open} tab={t} clientName={props.client.name} onClose={() => setOpen(null)} onSaved={changed} reload={reload} />
          ) : null}
          {open === 'turn-on' ? <TurnOnDialog client={props.client} onClose={() => setOpen(null)} onDone={changed} /> : null}
          {open === 'turn-off' ? <TurnOffDialog client={props.client} onClose={() => setOpen(null)} onDone={changed} /> : null}
        </div>
      )}
    </Show>
  );
}

function RestrictionBar(props: { tab: PrivacyTab; onTurnOn: () => void; onTurnOff: () => void }) {
  const [menu, setMenu] = useState(false);
  const t = props.tab;
  if (t.client.restricted) {
    return (
      <div className="restriction-bar restriction-on">
        <div className="menu-anchor">
          <button
            type="button"
            className="badge-button"
            aria-haspopup="true"
            aria-expanded={menu}
            aria-controls="restriction-menu"
            onClick={() => setMenu((m) => !m)}
            onKeyDown={(e) => {
              if (e.key === 'Escape') setMenu(false);
            }}
          >
            <span className="lock" aria-hidden="true" />
            Restricted access on
            <span aria-hidden="true" className="caret">
              ▾
            </span>
          </button>
          {menu ? (
            <div
              id="restriction-menu"
              className="menu"
              onKeyDown={(e) => {
                if (e.key === 'Escape') setMenu(false);
              }}
            >
              <ActionButton
                decision={t.restrict}
                kind="quiet"
                onClick={() => {
                  setMenu(false);
                  props.onTurnOff();
                }}
              >
                Turn off restricted access…
              </ActionButton>
            </div>
          ) : null}
        </div>
        <p className="muted">Only the team members chosen below can see this client anywhere in ChartGuard.</p>
      </div>
    );
  }
  return (
    <div className="restriction-bar">
      <div>
        <h2 className="h3">Restricted access</h2>
        <p className="muted">Off. Everyone whose role includes administrative work can see this client within that role.</p>
      </div>
      <ActionButton decision={t.restrict} kind="secondary" onClick={props.onTurnOn}>
        Turn on
      </ActionButton>
    </div>
  );
}

function MemberLine(props: { row: PanelRow; kind: Kind }) {
  const app = useApp();
  const box = props.row[props.kind];
  const why = box.reasons[0]?.text;
  return (
    <li className="member-line">
      <span className="avatar" aria-hidden="true">
        {initials(app.memberName(props.row.member))}
      </span>
      <span className="member-line-text">
        <span className="member-name">{app.memberName(props.row.member)}</span>
        <span className="muted small">{rolesText(props.row.roles)}</span>
        {why ? <span className="small">{why}</span> : null}
      </span>
      {props.kind === 'clinical' && box.expiresAt ? <Badge tone="pending">Until {formatDate(box.expiresAt)}</Badge> : null}
    </li>
  );
}

function ClinicalSection(props: { tab: PrivacyTab; onManage: () => void; onShare: (on: boolean) => void }) {
  const app = useApp();
  const t = props.tab;
  const withAccess = t.rows.filter((r) => r.clinical.checked && r.member !== t.client.primary);
  const primary = t.rows.find((r) => r.member === t.client.primary);
  return (
    <section className="panel" aria-labelledby="clinical-heading">
      <header className="panel-head">
        <h2 id="clinical-heading">Clinical</h2>
        <ActionButton decision={t.manageClinical} onClick={props.onManage}>
          Manage
        </ActionButton>
      </header>
      <h3 className="h4">Primary clinician</h3>
      <ul className="member-lines">
        {primary ? (
          <MemberLine row={primary} kind="clinical" />
        ) : (
          <li className="member-line">{app.memberName(t.client.primary)}</li>
        )}
      </ul>
      <h3 className="h4">Clinicians with access</h3>
      {withAccess.length === 0 ? (
        <Empty>Nobody else has clinical access.</Empty>
      ) : (
        <ul className="member-lines" aria-label="Clinicians with access">
          {withAccess.map((r) => (
            <MemberLine key={r.member} row={r} kind="clinical" />
          ))}
        </ul>
      )}
      <div className="share-row">
        <p className="muted small">
          {t.client.sharedWithAll
            ? 'Shared with all clinicians: every clinician of the practice has clinical access.'
            : 'Not shared with all clinicians: only the clinicians above have clinical access.'}
        </p>
        {t.manageClinical.allowed ? (
          <button type="button" className="button button-quiet" onClick={() => props.onShare(!t.client.sharedWithAll)}>
            {t.client.sharedWithAll ? 'Stop sharing with all' : 'Share with all clinicians'}
          </button>
        ) : null}
      </div>
    </section>
  );
}

function AdministrativeSection(props: { tab: PrivacyTab; onManage: () => void }) {
  const t = props.tab;
  const withAccess = t.rows.filter((r) => r.administrative.checked);
  return (
    <section className="panel" aria-labelledby="admin-heading">
      <header className="panel-head">
        <h2 id="admin-heading">Administrative</h2>
        <ActionButton decision={t.manageAdministrative} onClick={props.onManage}>
          Manage
        </ActionButton>
      </header>
      {!t.client.restricted ? (
        <Notice kind="info">
          While restricted access is off, administrative access follows each member's role: practice managers, billers, schedulers and clinicians with
          administrative functions all see this client. To choose individually, turn on restricted access first.
        </Notice>
      ) : null}
      {withAccess.length === 0 ? (
        <Empty>No team member has administrative access.</Empty>
      ) : (
        <ul className="member-lines" aria-label="Team members with administrative access">
          {withAccess.map((r) => (
            <MemberLine key={r.member} row={r} kind="administrative" />
          ))}
        </ul>
      )}
    </section>
  );
}

/** The Manage dialog: a checkbox per team member, each enabled or explained by the API. */
function ManageDialog(props: {
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
  const isChecked = (r: PanelRow) => wanted[r.member] ?? r[props.kind].checked;
  const changes = applicable.filter((r) => isChecked(r) !== r[props.kind].checked);
  const primaryChanged = props.kind === 'clinical' && primary !== currentPrimary;

  async function save() {
    setBusy(true);
    const failed: string[] = [];
    const done: string[] = [];
    const id = t.client.id;
    if (primaryChanged) {
      try {
        await api.setPrimary(id, primary);
        done.push(`${app.memberName(primary)} is now the primary clinician`);
      } catch (e) {
        failed.push(`Primary clinician ${app.memberName(primary)}: ${errorText(e)}`);
      }
    }
    for (const r of changes) {
      const grant = isChecked(r);
      const n = Number(days[r.member]);
      try {
        if (props.kind === 'clinical') {
          if (grant) await api.grantClinical(id, r.member, Number.isInteger(n) && n > 0 ? n : undefined);
          else await api.revokeClinical(id, r.member);
        } else if (grant) await api.grantAdministrative(id, r.member);
        else await api.revokeAdministrative(id, r.member);
        done.push(`${grant ? 'Granted' : 'Revoked'} ${props.kind} access for ${app.memberName(r.member)}`);
      } catch (e) {
        failed.push(`${app.memberName(r.member)}: ${errorText(e)}`);
      }
    }
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
  return (
    <Dialog
      title={title}
      onClose={props.onClose}
      wide
      footer={
        <>
          <button type="button" className="button button-quiet" onClick={props.onClose}>
            Cancel
          </button>
          <button type="button" className="button button-primary" disabled={busy || (changes.length === 0 && !primaryChanged)} onClick={() => void save()}>
            {busy ? 'Saving…' : 'Save'}
          </button>
        </>
      }
    >
      {errors.length > 0 ? (
        <Notice kind="error">
          <p>Some changes were not made:</p>
          <ul>
            {errors.map((e) => (
              <li key={e}>{e}</li>
            ))}
          </ul>
        </Notice>
      ) : null}
      {props.kind === 'clinical' ? (
        <label className="field">
          <span>Primary clinician</span>
          <select value={primary} onChange={(e) => setPrimary(e.target.value)} aria-describedby="primary-help">
            {t.primaryOptions.map((o) => (
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
            onChange={(v) => setWanted((w) => ({ ...w, [r.member]: v }))}
            days={days[r.member] ?? ''}
            onDays={(v) => setDays((d) => ({ ...d, [r.member]: v }))}
          />
        ))}
      </fieldset>
      {notApplicable.length > 0 ? (
        <details className="not-applicable">
          <summary>
            {notApplicable.length} team member{notApplicable.length === 1 ? '' : 's'} this access does not apply to
          </summary>
          <div className="checks">
            {notApplicable.map((r) => (
              <AccessCheckbox key={r.member} row={r} kind={props.kind} checked={r[props.kind].checked} onChange={() => undefined} days="" onDays={() => undefined} />
            ))}
          </div>
        </details>
      ) : null}
    </Dialog>
  );
}

function AccessCheckbox(props: {
  row: PanelRow;
  kind: Kind;
  checked: boolean;
  onChange: (v: boolean) => void;
  days: string;
  onDays: (v: string) => void;
}) {
  const app = useApp();
  const box = props.row[props.kind];
  const id = `${props.kind}-${props.row.member}`;
  const granting = props.kind === 'clinical' && props.checked && !box.checked;
  let note: ReactNode = null;
  if (!box.enabled) note = <span className="reason">{reasonText(box.reason)}</span>;
  else if (props.kind === 'clinical' && box.checked && box.expiresAt) note = <span className="small">Access ends {formatDate(box.expiresAt)}.</span>;
  return (
    <div className={box.enabled ? 'check' : 'check check-disabled'} data-member={props.row.member}>
      <input
        id={id}
        type="checkbox"
        checked={props.checked}
        disabled={!box.enabled}
        aria-describedby={`${id}-about`}
        onChange={(e) => props.onChange(e.target.checked)}
      />
      <label htmlFor={id}>
        <span className="member-name">{app.memberName(props.row.member)}</span>
        <span className="muted small"> · {rolesText(props.row.roles)}</span>
      </label>
      <div id={`${id}-about`} className="check-about">
        {note}
        {granting ? (
          <label className="field field-inline days">
            <span>For</span>
            <input type="number" min={1} max={365} inputMode="numeric" value={props.days} onChange={(e) => props.onDays(e.target.value)} aria-label={`Days of access for ${app.memberName(props.row.member)} (leave empty for no end date)`} />
            <span>days (leave empty for no end date)</span>
          </label>
        ) : null}
      </div>
    </div>
  );
}

function TurnOnDialog(props: { client: ClientDetail; onClose: () => void; onDone: (o: Outcome) => Promise<void> }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  async function turnOn() {
    setBusy(true);
    try {
      const r = await api.restrict(props.client.id);
      await props.onDone({ kind: 'success', text: r.summary || 'Restricted access is on.' });
    } catch (e) {
      setError(errorText(e));
      setBusy(false);
    }
  }
  return (
    <Dialog
      title={`Restrict access to ${props.client.name}?`}
      onClose={props.onClose}
      footer={
        <>
          <button type="button" className="button button-quiet" onClick={props.onClose}>
            Cancel
          </button>
          <button type="button" className="button button-primary" disabled={busy} onClick={() => void turnOn()}>
            Turn on restricted access
          </button>
        </>
      }
    >
      <p>Review what changes before you continue:</p>
      <ul className="review">
        <li>Administrative staff keep access only once you check them under Administrative. Until then, you choose who stays.</li>
        <li>
          Anyone without access stops seeing this client everywhere: the client list, calendar, billing and insurance payments, secure messages, tasks,
          notifications, the activity log and reports.
        </li>
        <li>An insurance payment that includes this client can only be handled by someone with access to every client it covers.</li>
        <li>The account owner and the primary clinician always keep access. Clinicians with clinical access keep it.</li>
        <li>The account owner is told by email and in ChartGuard.</li>
      </ul>
      {error ? <Notice kind="error">{error}</Notice> : null}
    </Dialog>
  );
}

function TurnOffDialog(props: { client: ClientDetail; onClose: () => void; onDone: (o: Outcome) => Promise<void> }) {
  const [ack, setAck] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  async function turnOff() {
    setBusy(true);
    setError(null);
    try {
      const r = await api.unrestrict(props.client.id, ack);
      await props.onDone({ kind: 'success', text: r.summary || 'Restricted access is off.' });
    } catch (e) {
      setError(errorText(e));
      setBusy(false);
    }
  }
  return (
    <Dialog
      title={`Lift the restrictions on ${props.client.name}?`}
      onClose={props.onClose}
      footer={
        <>
          <button type="button" className="button button-quiet" onClick={props.onClose}>
            Keep restricted
          </button>
          <button type="button" className="button button-danger" disabled={busy} onClick={() => void turnOff()}>
            Turn off
          </button>
        </>
      }
    >
      <ul className="review">
        <li>Every team member whose role includes administrative work will see this client again, within that role, in every area.</li>
        <li>
          Restrictions are often required by law, for example California's AB 352 and other federal and state privacy rules. Only lift them when that is
          allowed; ask your legal counsel or licensing board if you are unsure.
        </li>
        <li>This change is recorded in the activity log under your name.</li>
      </ul>
      <label className="ack">
        <input type="checkbox" checked={ack} onChange={(e) => setAck(e.target.checked)} />
        <span>I have read the points above, and I am authorised to remove this client's restrictions.</span>
      </label>
      {error ? <Notice kind="error">{error}</Notice> : null}
    </Dialog>
  );
}

function initials(name: string): string {
  const parts = name.split(/\s+/).filter(Boolean);
  return ((parts[0]?.[0] ?? '') + (parts[1]?.[0] ?? '')).toUpperCase() || '?';
}

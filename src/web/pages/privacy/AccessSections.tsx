/**
 * The Privacy tab's two panels (seed 000): who has clinical access (the primary clinician,
 * the clinicians with access, sharing with all) and who has administrative access.
 */
import type { ReactNode } from 'react';
import type { Decision, PanelRow, PrivacyTab } from '../../api.js';
import { useApp } from '../../context.js';
import { ActionButton, Badge, Empty, Notice } from '../../components/ui.js';
import { formatDate, rolesText } from '../../words.js';

export type Kind = 'clinical' | 'administrative';

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

/** The members who have one kind of access, or a line saying there are none. */
function MemberLines(props: { rows: readonly PanelRow[]; kind: Kind; label: string; empty: string }) {
  if (props.rows.length === 0) return <Empty>{props.empty}</Empty>;
  return (
    <ul className="member-lines" aria-label={props.label}>
      {props.rows.map((r) => (
        <MemberLine key={r.member} row={r} kind={props.kind} />
      ))}
    </ul>
  );
}

/** A panel of one kind of access, with its Manage button. */
function AccessPanel(props: { id: string; title: string; manage: Decision; onManage: () => void; children: ReactNode }) {
  return (
    <section className="panel" aria-labelledby={props.id}>
      <header className="panel-head">
        <h2 id={props.id}>{props.title}</h2>
        <ActionButton decision={props.manage} onClick={props.onManage}>
          Manage
        </ActionButton>
      </header>
      {props.children}
    </section>
  );
}

export function ClinicalSection(props: { tab: PrivacyTab; onManage: () => void; onShare: (on: boolean) => void }) {
  const app = useApp();
  const t = props.tab;
  const withAccess = t.rows.filter((r) => r.clinical.checked && r.member !== t.client.primary);
  const primary = t.rows.find((r) => r.member === t.client.primary);
  return (
    <AccessPanel id="clinical-heading" title="Clinical" manage={t.manageClinical} onManage={props.onManage}>
      <h3 className="h4">Primary clinician</h3>
      <ul className="member-lines">
        {primary ? (
          <MemberLine row={primary} kind="clinical" />
        ) : (
          <li className="member-line">{app.memberName(t.client.primary)}</li>
        )}
      </ul>
      <h3 className="h4">Clinicians with access</h3>
      <MemberLines rows={withAccess} kind="clinical" label="Clinicians with access" empty="Nobody else has clinical access." />
      <div className="share-row">
        <p className="muted small">
          {t.client.sharedWithAll
            ? 'Shared with all clinicians: every clinician of the practice has clinical access.'
            : 'Not shared with all clinicians: only the clinicians above have clinical access.'}
        </p>
        {t.manageClinical.allowed ? (
          <ActionButton decision={t.sharing.decision} kind="quiet" onClick={() => props.onShare(!t.client.sharedWithAll)}>
            {t.client.sharedWithAll ? 'Stop sharing with all' : 'Share with all clinicians…'}
          </ActionButton>
        ) : null}
      </div>
    </AccessPanel>
  );
}

export function AdministrativeSection(props: { tab: PrivacyTab; onManage: () => void }) {
  const t = props.tab;
  const withAccess = t.rows.filter((r) => r.administrative.checked);
  return (
    <AccessPanel id="admin-heading" title="Administrative" manage={t.manageAdministrative} onManage={props.onManage}>
      {!t.client.restricted ? (
        <Notice kind="info">
          While restricted access is off, administrative access follows each member's role: practice managers, billers, schedulers and clinicians with
          administrative functions all see this client. To choose individually, turn on restricted access first.
        </Notice>
      ) : null}
      <MemberLines rows={withAccess} kind="administrative" label="Team members with administrative access" empty="No team member has administrative access." />
    </AccessPanel>
  );
}

function initials(name: string): string {
  const parts = name.split(/\s+/).filter(Boolean);
  return ((parts[0]?.[0] ?? '') + (parts[1]?.[0] ?? '')).toUpperCase() || '?';
}

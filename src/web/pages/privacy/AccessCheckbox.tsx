/** One team member's checkbox in the Manage dialog: enabled, or disabled with the API's reason; a clinical grant may end after some days. */
import type { ReactNode } from 'react';
import type { PanelRow } from '../../api.js';
import { useApp } from '../../context.js';
import { formatDate, reasonText, rolesText } from '../../words.js';
import type { Kind } from './AccessSections.js';

export function AccessCheckbox(props: {
  row: PanelRow;
  kind: Kind;
  checked: boolean;
  onChange: (v: boolean) => void;
  days: string;
  onDays: (v: string) => void;
  /** The dialog's choice not yet saved that fixes this box (a newly chosen primary clinician): said instead of the API's reason. */
  pending?: string;
}) {
  const app = useApp();
  const box = props.row[props.kind];
  const id = `${props.kind}-${props.row.member}`;
  const enabled = box.enabled && props.pending === undefined;
  const granting = enabled && props.kind === 'clinical' && props.checked && !box.checked;
  let note: ReactNode = null;
  if (props.pending !== undefined) note = <span className="small">{props.pending}</span>;
  else if (!box.enabled) note = <span className="reason">{reasonText(box.reason)}</span>;
  else if (props.kind === 'clinical' && box.checked && box.expiresAt) note = <span className="small">Access ends {formatDate(box.expiresAt)}.</span>;
  return (
    <div className={enabled ? 'check' : 'check check-disabled'} data-member={props.row.member}>
      <input
        id={id}
        type="checkbox"
        checked={props.checked}
        disabled={!enabled}
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

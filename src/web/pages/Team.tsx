/** Team and roles: members, their roles, supervision pairs, password resets (004) and lifting a sign-in slowdown. */
import { useState } from 'react';
import { api, type TeamMember } from '../api.js';
import { useApp } from '../context.js';
import { Dialog, Empty, Notice, OutcomeLine, PageHeader, Show, useLoad, type Outcome } from '../components/ui.js';
import { ChoiceField } from '../components/ChoiceField.js';
import { DialogButtons } from '../components/DialogButtons.js';
import { ROLE_HINT, ROLE_LABEL, decisionText, errorText, rolesText } from '../words.js';

const ROLE_ORDER = Object.keys(ROLE_LABEL);

export function TeamPage() {
  const app = useApp();
  const [team, reload] = useLoad(() => api.team(), []);
  const [editing, setEditing] = useState<TeamMember | null>(null);
  const [outcome, setOutcome] = useState<Outcome>(null);
  const [temporary, setTemporary] = useState<{ member: string; password: string } | null>(null);
  const manage = app.me?.permissions['team.manage'];
  const canManage = manage?.allowed === true;
  const [resetting, setResetting] = useState<TeamMember | null>(null);

  async function run(f: () => Promise<{ summary?: string } | void>, success: string) {
    setOutcome(null);
    try {
      const r = await f();
      setOutcome({ kind: 'success', text: (r && r.summary) || success });
      await Promise.all([reload(), app.refresh()]);
    } catch (e) {
      setOutcome({ kind: 'error', text: errorText(e) });
    }
  }

  /** The temporary password is shown once, to whoever reset it. */
  async function resetPassword(m: TeamMember) {
    setResetting(null);
    setOutcome(null);
    try {
      const r = await api.resetPassword(m.id);
      setTemporary({ member: m.id, password: r.temporaryPassword });
    } catch (e) {
      setOutcome({ kind: 'error', text: errorText(e) });
    }
  }

  return (
    <section>
      <PageHeader title="Team and roles" subtitle="Roles decide what each team member can do. Changes are recorded in the activity log." />
      {manage && !manage.allowed ? <Notice kind="info">You can see the team but not change it. {decisionText(manage)}</Notice> : null}
      <OutcomeLine outcome={outcome} />
      {temporary ? (
        <Notice kind="success">
          Temporary password for {app.memberName(temporary.member)}: <code className="secret">{temporary.password}</code> Share it privately; they choose a
          new one at their next sign-in.
        </Notice>
      ) : null}
      <Show value={team} what="the team">
        {(t) => (
          <>
            <Members members={t.members} canManage={canManage} onEdit={setEditing} onReset={setResetting} run={run} />
            <Supervision members={t.members} pairs={t.supervision} canManage={canManage} run={run} />
          </>
        )}
      </Show>
      {resetting ? (
        <ResetPasswordDialog
          member={resetting}
          onClose={() => setResetting(null)}
          onReset={resetPassword}
        />
      ) : null}
      {editing ? (
        <RolesDialog
          member={editing}
          onClose={() => setEditing(null)}
          onSave={async (roles) => {
            setEditing(null);
            await run(() => api.setRoles(editing.id, roles), 'Roles updated.');
          }}
        />
      ) : null}
    </section>
  );
}

type Run = (f: () => Promise<{ summary?: string } | void>, success: string) => Promise<void>;

/** The members, each with their roles and, for who manages the team, what can be done to them. */
function Members(props: {
  members: readonly TeamMember[];
  canManage: boolean;
  onEdit: (m: TeamMember) => void;
  onReset: (m: TeamMember) => void;
  run: Run;
}) {
  const { canManage, run } = props;
  return (
    <section className="panel">
      <h2>Members</h2>
      <ul className="team">
        {props.members.map((m) => (
          <li key={m.id} className="team-member" data-member={m.id}>
            <div>
              <strong>{m.name}</strong> <span className="muted small">({m.id})</span>
              <div className="muted small">{rolesText(m.roles) || 'No roles'}</div>
            </div>
            {canManage ? (
              <div className="actions-row">
                <button type="button" className="button button-secondary" onClick={() => props.onEdit(m)}>
                  Edit roles
                </button>
                <button type="button" className="button button-quiet" onClick={() => props.onReset(m)}>
                  Reset password
                </button>
                <button
                  type="button"
                  className="button button-quiet"
                  onClick={() =>
                    void run(async () => {
                      const r = await api.liftSignInThrottle(m.id);
                      return {
                        summary:
                          r.failures > 0
                            ? `${m.name} can sign in again at once (${r.failures} failed sign-ins forgotten).`
                            : `${m.name} had no failed sign-ins to forget.`,
                      };
                    }, 'Done.')
                  }
                >
                  Lift sign-in slowdown
                </button>
              </div>
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  );
}

function ResetPasswordDialog(props: { member: TeamMember; onClose: () => void; onReset: (m: TeamMember) => Promise<void> }) {
  return (
    <Dialog
      title={`Reset the password of ${props.member.name}?`}
      onClose={props.onClose}
      footer={
        <DialogButtons onCancel={props.onClose} onConfirm={() => void props.onReset(props.member)}>
          Reset password
        </DialogButtons>
      }
    >
      <p>They are signed out everywhere and get a temporary password, which you pass on privately. They choose a new one when they next sign in.</p>
    </Dialog>
  );
}

function Supervision(props: {
  members: readonly TeamMember[];
  pairs: readonly { supervisor: string; supervisee: string }[];
  canManage: boolean;
  run: Run;
}) {
  const app = useApp();
  const [supervisor, setSupervisor] = useState('');
  const [supervisee, setSupervisee] = useState('');
  const supervisors = props.members.filter((m) => m.roles.includes('supervisor'));
  return (
    <section className="panel">
      <h2>Supervision</h2>
      {props.pairs.length === 0 ? (
        <Empty>No supervision is set up.</Empty>
      ) : (
        <ul className="rows">
          {props.pairs.map((p) => (
            <li key={`${p.supervisor}/${p.supervisee}`} className="row-item row-split">
              <span>
                <strong>{app.memberName(p.supervisor)}</strong> supervises <strong>{app.memberName(p.supervisee)}</strong>
              </span>
              {props.canManage ? (
                <button type="button" className="button button-quiet" onClick={() => void props.run(() => api.endSupervision(p.supervisor, p.supervisee), 'Supervision ended.')}>
                  End supervision
                </button>
              ) : null}
            </li>
          ))}
        </ul>
      )}
      {props.canManage ? (
      <form
        className="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          void props.run(() => api.addSupervision(supervisor, supervisee), 'Supervision added.');
        }}
      >
        <ChoiceField label="Supervisor" choices={supervisors} placeholder="Choose" value={supervisor} onChange={setSupervisor} required />
        <ChoiceField label="Supervisee" choices={props.members} placeholder="Choose" value={supervisee} onChange={setSupervisee} required />
        <button type="submit" className="button button-secondary">
          Add supervision
        </button>
      </form>
      ) : null}
    </section>
  );
}

function RolesDialog(props: { member: TeamMember; onClose: () => void; onSave: (roles: string[]) => Promise<void> }) {
  const [roles, setRoles] = useState<string[]>([...props.member.roles]);
  return (
    <Dialog
      title={`Roles of ${props.member.name}`}
      onClose={props.onClose}
      wide
      footer={
        <DialogButtons onCancel={props.onClose} onConfirm={() => void props.onSave(roles)}>
          Save roles
        </DialogButtons>
      }
    >
      <p className="muted">A member holds at most one clinician role. The server refuses combinations that are not allowed, and says why.</p>
      <fieldset className="checks">
        <legend>Roles</legend>
        {ROLE_ORDER.map((r) => (
          <div key={r} className="check">
            <input
              id={`role-${r}`}
              type="checkbox"
              checked={roles.includes(r)}
              aria-describedby={`role-${r}-hint`}
              onChange={(e) => setRoles((rs) => (e.target.checked ? [...rs, r] : rs.filter((x) => x !== r)))}
            />
            <label htmlFor={`role-${r}`}>{ROLE_LABEL[r]}</label>
            <div id={`role-${r}-hint`} className="check-about muted small">
              {ROLE_HINT[r]}
            </div>
          </div>
        ))}
      </fieldset>
    </Dialog>
  );
}

/** Team and roles: members, their roles, supervision pairs, password resets (004) and lifting a sign-in slowdown. */
import { useState } from 'react';
import { api, type TeamMember } from '../api.js';
import { useApp } from '../context.js';
import { Badge, Dialog, Empty, Notice, OutcomeLine, PageHeader, Show, useLoad, type Outcome } from '../components/ui.js';
import { ChoiceField } from '../components/ChoiceField.js';
import { DialogButtons } from '../components/DialogButtons.js';
import { decisionText, errorText, everyReason, rolesText } from '../words.js';
import { AddMemberDialog, ConfirmDialog, EditMemberDialog, RoleChecks } from './team/MemberDialogs.js';

/** The dialog open on the team page, if any. */
type Open =
  | { kind: 'add' }
  | { kind: 'roles' | 'details' | 'deactivate' | 'reactivate' | 'owner' | 'reset'; member: TeamMember }
  | null;

export function TeamPage() {
  const app = useApp();
  const [team, reload] = useLoad(() => api.team(), []);
  const [open, setOpen] = useState<Open>(null);
  const [invitation, setInvitation] = useState<{ name: string; link: string | null; emailed: boolean } | null>(null);
  const manage = app.me?.permissions['team.manage'];
  const canManage = manage?.allowed === true;
  const close = () => setOpen(null);

  const { outcome, setOutcome, run, save } = useOutcome(async () => void (await Promise.all([reload(), app.refresh()])), close);

  /** The invitation link is shown once, to whoever sent it, when it was not emailed. */
  const invited = (name: string, i: { link: string | null; emailed: boolean } | null) => setInvitation(i ? { name, ...i } : null);

  const reset = usePasswordReset(() => setOpen(null), setOutcome);

  return (
    <section>
      <TeamHeader canManage={canManage} onAdd={() => setOpen({ kind: 'add' })} />
      {manage && !manage.allowed ? <Notice kind="info">You can see the team but not change it. {decisionText(manage)}</Notice> : null}
      <OutcomeLine outcome={outcome} />
      {reset.notice}
      {invitation ? <InvitationNotice {...invitation} /> : null}
      <Show value={team} what="the team">
        {(t) => (
          <>
            <Members
              members={t.members}
              canManage={canManage}
              isOwner={app.me?.roles.includes('account_owner') === true}
              me={app.me?.member ?? ''}
              onOpen={setOpen}
              run={run}
              onInvite={(m) =>
                void run(async () => {
                  const r = await api.inviteMember(m.id);
                  invited(m.name, r);
                  return { summary: r.emailed ? `Invitation emailed to ${m.name}.` : `New invitation link for ${m.name} below.` };
                }, 'Done.')
              }
            />
            <Supervision members={t.members.filter((m) => m.active)} pairs={t.supervision} canManage={canManage} run={run} />
          </>
        )}
      </Show>
      <MemberDialog open={open} close={close} save={save} resetPassword={reset.resetPassword} invited={invited} />
    </section>
  );
}

function TeamHeader(props: { canManage: boolean; onAdd: () => void }) {
  return (
    <PageHeader
      title="Team and roles"
      subtitle="Roles decide what each team member can do. Changes are recorded in the activity log."
      actions={
        props.canManage ? (
          <button type="button" className="button button-primary" onClick={props.onAdd}>
            Add a team member
          </button>
        ) : null
      }
    />
  );
}

/**
 * A password reset: when mail is configured and the member has an address, a link is emailed to
 * them (said in the outcome line); otherwise the temporary password, shown once to whoever reset it.
 */
function usePasswordReset(closeDialog: () => void, setOutcome: (o: Outcome) => void) {
  const app = useApp();
  const [temporary, setTemporary] = useState<{ member: string; password: string } | null>(null);
  async function resetPassword(m: TeamMember) {
    closeDialog();
    setOutcome(null);
    setTemporary(null);
    try {
      const r = await api.resetPassword(m.id);
      if (r.temporaryPassword === null) setOutcome({ kind: 'success', text: `A link to choose a new password was emailed to ${m.name}.` });
      else setTemporary({ member: m.id, password: r.temporaryPassword });
    } catch (e) {
      setOutcome({ kind: 'error', text: errorText(e) });
    }
  }
  const notice = temporary ? (
    <Notice kind="success">
      Temporary password for {app.memberName(temporary.member)}: <code className="secret">{temporary.password}</code> Share it privately; they choose a new
      one at their next sign-in.
    </Notice>
  ) : null;
  return { resetPassword, notice };
}

type Run = (f: () => Promise<{ summary?: string } | void>, success: string) => Promise<void>;

/**
 * The page's outcome line and how changes report to it: `run` for a button, `save` for a
 * dialog (null when done and the dialog closes, else the error, shown in the dialog with its
 * edits kept).
 */
function useOutcome(reload: () => Promise<void>, close: () => void) {
  const [outcome, setOutcome] = useState<Outcome>(null);
  const run: Run = async (f, success) => {
    setOutcome(null);
    try {
      const r = await f();
      setOutcome({ kind: 'success', text: (r && r.summary) || success });
      await reload();
    } catch (e) {
      setOutcome({ kind: 'error', text: errorText(e) });
    }
  };
  const save: Save = async (f) => {
    try {
      const r = await f();
      close();
      setOutcome({ kind: 'success', text: r.summary ?? 'Saved.' });
      await reload();
      return null;
    } catch (e) {
      return everyReason(e);
    }
  };
  return { outcome, setOutcome, run, save };
}

type Save = (f: () => Promise<{ summary?: string }>) => Promise<string | null>;
type Invited = (name: string, i: { link: string | null; emailed: boolean } | null) => void;

function InvitationNotice(props: { name: string; link: string | null; emailed: boolean }) {
  if (props.emailed) return <Notice kind="success">An invitation was emailed to {props.name}. The link works once, for seven days.</Notice>;
  return (
    <Notice kind="success">
      Invitation link for {props.name} (it works once, for seven days; it is shown only now, so pass it on privately):{' '}
      <code className="secret" data-invitation-link>
        {props.link}
      </code>
    </Notice>
  );
}

/** The open dialog: each saves through `save`, which keeps it open with the error when refused. */
function MemberDialog(props: { open: Open; close: () => void; save: Save; resetPassword: (m: TeamMember) => Promise<void>; invited: Invited }) {
  const { open, close, save } = props;
  if (!open) return null;
  if (open.kind === 'add') {
    return (
      <AddMemberDialog
        onClose={close}
        onAdd={(m) =>
          save(async () => {
            const r = await api.addMember(m);
            props.invited(m.name, r.invitation);
            return r;
          })
        }
      />
    );
  }
  const m = open.member;
  switch (open.kind) {
    case 'roles':
      return <RolesDialog member={m} onClose={close} onSave={(roles) => save(() => api.setRoles(m.id, roles))} />;
    case 'details':
      return <EditMemberDialog member={m} onClose={close} onSave={(d) => save(() => api.editMember(m.id, d))} />;
    case 'reset':
      return <ResetPasswordDialog member={m} onClose={close} onReset={props.resetPassword} />;
    case 'deactivate':
      return (
        <ConfirmDialog title={`Deactivate ${m.name}?`} confirm="Deactivate" danger onClose={close} onConfirm={() => void save(() => api.deactivateMember(m.id))}>
          <p>They are signed out at once and can no longer sign in or see any client. Their clinical access grants and supervision end. What they wrote and did stays, under their name.</p>
        </ConfirmDialog>
      );
    case 'reactivate':
      return (
        <ConfirmDialog title={`Reactivate ${m.name}?`} confirm="Reactivate" onClose={close} onConfirm={() => void save(() => api.reactivateMember(m.id))}>
          <p>They can sign in again, with their roles. Access granted per client and supervision ended with the deactivation; grant them again where needed.</p>
        </ConfirmDialog>
      );
    case 'owner':
      return (
        <ConfirmDialog title={`Make ${m.name} the account owner?`} confirm="Transfer ownership" danger onClose={close} onConfirm={() => void save(() => api.transferOwnership(m.id))}>
          <p>
            {m.name} becomes the account owner, with access to every client and the only one who decides who sees restricted clients. You keep your other roles
            and lose the owner's.
          </p>
        </ConfirmDialog>
      );
  }
}

/** The members, each with their roles and, for who manages the team, what can be done to them. */
function Members(props: {
  members: readonly TeamMember[];
  canManage: boolean;
  isOwner: boolean;
  me: string;
  onOpen: (o: Open) => void;
  run: Run;
  onInvite: (m: TeamMember) => void;
}) {
  const { canManage, run, onOpen } = props;
  return (
    <section className="panel">
      <h2>Members</h2>
      <ul className="team">
        {props.members.map((m) => (
          <li key={m.id} className="team-member" data-member={m.id} data-active={m.active}>
            <div>
              <strong>{m.name}</strong> {m.active ? null : <Badge tone="pending">Deactivated</Badge>}{' '}
              {m.active && !m.hasSignIn ? <Badge tone="neutral">Invited</Badge> : null}
              <div className="muted small">{rolesText(m.roles) || 'No roles'}</div>
              {m.email ? <div className="muted small">{m.email}</div> : null}
            </div>
            {canManage ? (
              <div className="actions-row">
                {m.active ? (
                  <>
                    <button type="button" className="button button-secondary" onClick={() => onOpen({ kind: 'roles', member: m })}>
                      Edit roles
                    </button>
                    <button type="button" className="button button-quiet" onClick={() => onOpen({ kind: 'details', member: m })}>
                      Edit details
                    </button>
                    {m.hasSignIn ? (
                      <button type="button" className="button button-quiet" onClick={() => onOpen({ kind: 'reset', member: m })}>
                        Reset password
                      </button>
                    ) : (
                      <button type="button" className="button button-quiet" onClick={() => props.onInvite(m)}>
                        Send a new invitation
                      </button>
                    )}
                    <button type="button" className="button button-quiet" onClick={() => void run(() => liftThrottle(m), 'Done.')}>
                      Lift sign-in slowdown
                    </button>
                    {m.id !== props.me && !m.roles.includes('account_owner') ? (
                      <button type="button" className="button button-quiet" onClick={() => onOpen({ kind: 'deactivate', member: m })}>
                        Deactivate
                      </button>
                    ) : null}
                    {props.isOwner && m.id !== props.me ? (
                      <button type="button" className="button button-quiet" onClick={() => onOpen({ kind: 'owner', member: m })}>
                        Make account owner
                      </button>
                    ) : null}
                  </>
                ) : (
                  <button type="button" className="button button-secondary" onClick={() => onOpen({ kind: 'reactivate', member: m })}>
                    Reactivate
                  </button>
                )}
              </div>
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  );
}

async function liftThrottle(m: TeamMember): Promise<{ summary: string }> {
  const r = await api.liftSignInThrottle(m.id);
  return { summary: r.failures > 0 ? `${m.name} can sign in again at once (${r.failures} failed sign-ins forgotten).` : `${m.name} had no failed sign-ins to forget.` };
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
      <p>
        They are signed out everywhere.{' '}
        {props.member.email
          ? `When email is set up, their password stops working and a link to choose a new one goes to ${props.member.email}; otherwise you get a temporary password to pass on privately.`
          : 'You get a temporary password, which you pass on privately. They choose a new one when they next sign in.'}
      </p>
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

/** A refused change keeps the dialog and its edits, with every reason the server gives. */
function RolesDialog(props: { member: TeamMember; onClose: () => void; onSave: (roles: string[]) => Promise<string | null> }) {
  const [roles, setRoles] = useState<string[]>([...props.member.roles]);
  const [error, setError] = useState<string | null>(null);
  return (
    <Dialog
      title={`Roles of ${props.member.name}`}
      onClose={props.onClose}
      wide
      footer={
        <DialogButtons onCancel={props.onClose} onConfirm={() => void props.onSave(roles).then(setError)}>
          Save roles
        </DialogButtons>
      }
    >
      {error ? <Notice kind="error">{error}</Notice> : null}
      <p className="muted">A member holds at most one clinician role. Combinations that are not allowed are refused, with the reason.</p>
      <RoleChecks roles={roles} onChange={setRoles} />
    </Dialog>
  );
}

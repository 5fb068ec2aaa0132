/**
 * The practice's settings (settings.manage: the account owner and practice administrators):
 * its name and time zone, who sees every client's contact details, automatic logoff, and
 * two-step sign-in for everyone. Saving sends only what changed; the core refuses a bad
 * value with its reason, and the form keeps what was typed.
 */
import { useMemo, useState, type FormEvent } from 'react';
import { api, type Settings } from '../api.js';
import { useApp } from '../context.js';
import { Notice, PageHeader, Show, useCommand, useLoad } from '../components/ui.js';
import { SubmitRow } from '../components/SubmitRow.js';

type Form = { name: string; timeZone: string; clientDirectory: Settings['clientDirectory']; idle: string; requireSecondFactor: boolean };

const formOf = (s: Settings): Form => ({
  name: s.name,
  timeZone: s.timeZone,
  clientDirectory: s.clientDirectory,
  idle: s.idleLogoffMinutes === null ? '' : String(s.idleLogoffMinutes),
  requireSecondFactor: s.requireSecondFactor,
});

/** What the form changes, as the API takes it (blank logoff: the server's default). */
function changesOf(saved: Settings, f: Form): Parameters<typeof api.changeSettings>[0] {
  const idle = f.idle.trim() === '' ? null : Number(f.idle);
  return {
    ...(f.name !== saved.name ? { name: f.name } : {}),
    ...(f.timeZone !== saved.timeZone ? { timeZone: f.timeZone.trim() } : {}),
    ...(f.clientDirectory !== saved.clientDirectory ? { clientDirectory: f.clientDirectory } : {}),
    ...(idle !== saved.idleLogoffMinutes ? { idleLogoffMinutes: idle } : {}),
    ...(f.requireSecondFactor !== saved.requireSecondFactor ? { requireSecondFactor: f.requireSecondFactor } : {}),
  };
}

export function SettingsPage() {
  const app = useApp();
  const allowed = app.me?.permissions['settings.manage']?.allowed === true;
  const [settings] = useLoad(() => (allowed ? api.settings() : Promise.resolve(null)), [allowed]);
  return (
    <section>
      <PageHeader title="Practice settings" subtitle={app.me?.practiceName} />
      {allowed ? (
        <Show value={settings} what="the settings">
          {(s) => (s ? <SettingsForm initial={s} /> : null)}
        </Show>
      ) : (
        <Notice kind="info">Practice settings are changed by the account owner and practice administrators.</Notice>
      )}
    </section>
  );
}

function SettingsForm(props: { initial: Settings }) {
  const app = useApp();
  const [saved, setSaved] = useState(props.initial);
  const [form, setForm] = useState<Form>(() => formOf(props.initial));
  const { busy, outcome, run, setOutcome } = useCommand();
  const zones = useMemo(() => (typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : []), []);
  const set = <K extends keyof Form>(key: K, value: Form[K]) => setForm((f) => ({ ...f, [key]: value }));

  async function submit(e: FormEvent) {
    e.preventDefault();
    const changes = changesOf(saved, form);
    if (Object.keys(changes).length === 0) {
      setOutcome({ kind: 'success', text: 'Nothing to save: the settings are as shown.' });
      return;
    }
    await run(async () => {
      const now = await api.changeSettings(changes);
      setSaved(now);
      setForm(formOf(now));
      // The header's practice name, the time zone of timestamps and the logoff warning follow.
      await Promise.all([app.refresh(), app.refreshSession()]);
      return 'The settings are saved.';
    });
  }

  return (
    <form onSubmit={submit} className="stack panel settings-form">
      <label className="field">
        <span>Practice name</span>
        <input name="name" value={form.name} maxLength={200} onChange={(e) => set('name', e.target.value)} required />
      </label>
      <label className="field">
        <span>Time zone</span>
        <input name="timeZone" list="time-zones" value={form.timeZone} onChange={(e) => set('timeZone', e.target.value)} required aria-describedby="tz-help" />
        <datalist id="time-zones">
          {zones.map((z) => (
            <option key={z} value={z} />
          ))}
        </datalist>
        <span id="tz-help" className="muted small">
          Dates and times are shown in this time zone, for example America/New_York.
        </span>
      </label>
      <DirectoryChoice value={form.clientDirectory} onChange={(v) => set('clientDirectory', v)} />
      <IdleField value={form.idle} defaultMinutes={saved.defaultIdleLogoffMinutes} onChange={(v) => set('idle', v)} />
      <label className="check-inline">
        <input type="checkbox" name="requireSecondFactor" checked={form.requireSecondFactor} onChange={(e) => set('requireSecondFactor', e.target.checked)} />
        Require two-step sign-in for everyone: a member without an authenticator app sets one up before anything else
      </label>
      {form.requireSecondFactor && !saved.requireSecondFactor && !app.session.totpEnabled ? (
        <Notice kind="warning">You have no authenticator app yet: after saving, you will set one up before you continue.</Notice>
      ) : null}
      <SubmitRow outcome={outcome} busy={busy}>
        Save settings
      </SubmitRow>
    </form>
  );
}

function DirectoryChoice(props: { value: Settings['clientDirectory']; onChange: (v: Settings['clientDirectory']) => void }) {
  return (
    <fieldset className="field">
      <legend>Client directory</legend>
      <label className="check-inline">
        <input type="radio" name="clientDirectory" checked={props.value === 'by_role'} onChange={() => props.onChange('by_role')} />
        By role: each member sees the clients their role and access allow
      </label>
      <label className="check-inline">
        <input type="radio" name="clientDirectory" checked={props.value === 'all_staff'} onChange={() => props.onChange('all_staff')} />
        All staff: everyone sees every client's name and contact details (never a restricted client's)
      </label>
    </fieldset>
  );
}

function IdleField(props: { value: string; defaultMinutes: number; onChange: (v: string) => void }) {
  return (
    <label className="field">
      <span>Automatic sign-out after inactivity (minutes)</span>
      <input
        name="idleLogoffMinutes"
        type="number"
        inputMode="numeric"
        min={5}
        max={720}
        step={1}
        value={props.value}
        placeholder={`${props.defaultMinutes} (the server's default)`}
        onChange={(e) => props.onChange(e.target.value)}
        aria-describedby="idle-help"
      />
      <span id="idle-help" className="muted small">
        From 5 to 720 minutes. Leave it empty to use the server's default of {props.defaultMinutes} minutes.
      </span>
    </label>
  );
}

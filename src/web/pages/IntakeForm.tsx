/**
 * A practice's public intake form (/intake/<token>, 003): nobody signs in. A practitioner's
 * own link says whose form it is; the practice form lets the person pick among the
 * practitioners the practice offers. Sending it makes them that practitioner's client. A
 * field people never see (`website`) stays empty; a robot that fills it is answered as
 * received and nothing is kept.
 */
import { useState, type FormEvent } from 'react';
import { api } from '../api.js';
import { SubmitRow } from '../components/SubmitRow.js';
import { useCommand, useLoad } from '../components/ui.js';
import { SignInCard } from '../session.js';
import { errorText } from '../words.js';

type Details = Awaited<ReturnType<typeof api.intakeForm>>;

export function IntakeFormPage(props: { token: string }) {
  const [details] = useLoad(() => api.intakeForm(props.token), [props.token]);
  let body;
  if (details.state === 'loading') body = <p className="muted">Opening the form…</p>;
  else if (details.state === 'error')
    body = (
      <section className="stack" aria-live="polite">
        <h1 tabIndex={-1}>This form cannot be opened</h1>
        <p>{errorText(details.error)}</p>
      </section>
    );
  else body = <IntakeForm token={props.token} details={details.data} />;
  return <SignInCard>{body}</SignInCard>;
}

interface Fields {
  name: string;
  contact: string;
  dateOfBirth: string;
  reason: string;
  choice: string;
  website: string;
}

function IntakeForm(props: { token: string; details: Details }) {
  const { details } = props;
  const [f, setF] = useState<Fields>({ name: '', contact: '', dateOfBirth: '', reason: '', choice: '', website: '' });
  const [sent, setSent] = useState(false);
  const { busy, outcome, run, setOutcome } = useCommand();
  const set = (k: keyof Fields) => (e: { target: { value: string } }) => setF({ ...f, [k]: e.target.value });

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!f.name.trim()) return setOutcome({ kind: 'error', text: 'Please give your name.' });
    if (details.choices.length > 0 && !f.choice) return setOutcome({ kind: 'error', text: 'Please choose a practitioner.' });
    await run(async () => {
      await api.sendIntake(props.token, {
        name: f.name.trim(),
        ...(f.contact.trim() ? { contact: f.contact.trim() } : {}),
        ...(f.dateOfBirth ? { dateOfBirth: f.dateOfBirth } : {}),
        ...(f.reason.trim() ? { answers: [{ question: 'reason', answer: f.reason }] } : {}),
        ...(f.choice ? { choice: f.choice } : {}),
        website: f.website,
      });
      setSent(true);
      return 'Sent.';
    });
  }

  if (sent)
    return (
      <section className="stack" aria-live="polite">
        <h1 tabIndex={-1}>Thank you</h1>
        <p>Your form was sent to {details.practiceName}. The practice will contact you.</p>
      </section>
    );
  return (
    <form onSubmit={submit} className="stack">
      <h1 tabIndex={-1}>{details.practiceName}: new client form</h1>
      {details.practitionerName ? <p>This form goes to {details.practitionerName}.</p> : null}
      <label className="field">
        <span>Your name</span>
        <input value={f.name} onChange={set('name')} maxLength={200} autoComplete="name" required />
      </label>
      <label className="field">
        <span>Phone or email</span>
        <input value={f.contact} onChange={set('contact')} maxLength={200} autoComplete="email" />
      </label>
      <label className="field">
        <span>Date of birth</span>
        <input type="date" value={f.dateOfBirth} onChange={set('dateOfBirth')} min="1900-01-01" />
      </label>
      {details.choices.length > 0 ? (
        <label className="field">
          <span>Practitioner</span>
          <select value={f.choice} onChange={set('choice')} required>
            <option value="">Choose…</option>
            {details.choices.map((c) => (
              <option key={c.key} value={c.key}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
      ) : null}
      <label className="field">
        <span>What brings you in?</span>
        <textarea value={f.reason} onChange={set('reason')} maxLength={4000} rows={5} />
      </label>
      {/* Never seen by people: a robot filling it is answered as received and nothing is kept. */}
      <div aria-hidden="true" className="visually-hidden">
        <label>
          Website
          <input tabIndex={-1} autoComplete="off" value={f.website} onChange={set('website')} />
        </label>
      </div>
      <SubmitRow outcome={outcome} busy={busy}>
        Send the form
      </SubmitRow>
    </form>
  );
}

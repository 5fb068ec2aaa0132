/** The calendar: the appointments the API shows this member, grouped by day, a page at a time, and booking one. */
import { useState, type FormEvent } from 'react';
import { api } from '../api.js';
import { useApp } from '../context.js';
import { Notice, PageHeader, ShowMore, usePaged, useCommand, ClientField } from '../components/ui.js';
import { SubmitRow } from '../components/SubmitRow.js';
import { ChoiceField } from '../components/ChoiceField.js';
import { ShowList } from '../components/ShowList.js';
import { OfferedPanel, useOffer } from '../components/Offered.js';
import { formatDay, formatMoney, formatTime, fromZonedInput, toZonedInput } from '../words.js';


export function CalendarPage() {
  const app = useApp();
  const [cal, reload] = usePaged((after) => api.calendar(after), []);
  const book = useOffer('calendar', 'book_appointment');
  return (
    <section>
      <PageHeader title="Calendar" subtitle="Appointments of the clients you can see." />
      <div className="grid-2 grid-wide-left">
        <section className="panel">
          <h2>Appointments</h2>
          <ShowList value={cal} what="appointments" empty="No appointments to show.">
            {(d) => {
              const days = new Map<string, typeof d.items>();
              for (const a of [...d.items].sort((x, y) => x.startsAt - y.startsAt)) {
                const key = formatDay(a.startsAt);
                days.set(key, [...(days.get(key) ?? []), a]);
              }
              return (
                <>
                  <div className="days">
                    {[...days].map(([day, items]) => (
                      <section key={day} className="day">
                        <h3 className="h4">{day}</h3>
                        <ul className="appointments" aria-label={`Appointments on ${day}`}>
                          {items.map((a) => (
                            <li key={a.id} className="appointment" data-client={a.client}>
                              <time className="appointment-time">{formatTime(a.startsAt)}</time>
                              <span className="appointment-who">
                                <strong>{app.clientName(a.client)}</strong>
                                <span className="muted small">with {app.memberName(a.clinician)}</span>
                              </span>
                            </li>
                          ))}
                        </ul>
                      </section>
                    ))}
                  </div>
                  <ShowMore list={d} what="appointments" />
                </>
              );
            }}
          </ShowList>
        </section>
        <OfferedPanel title="Book an appointment" decision={book}>
          <BookAppointment onBooked={reload} />
        </OfferedPanel>
      </div>
    </section>
  );
}

function BookAppointment(props: { onBooked: () => Promise<void> }) {
  const app = useApp();
  const clinicians = app.team.filter((m) => m.roles.some((r) => r.startsWith('clinician_')));
  const [client, setClient] = useState('');
  const [clinician, setClinician] = useState('');
  const [fee, setFee] = useState('150');
  const [startsAt, setStartsAt] = useState(() => toZonedInput(Math.ceil((Date.now() + 86_400_000) / 3_600_000) * 3_600_000));
  const { busy, outcome, run } = useCommand();

  async function submit(e: FormEvent) {
    e.preventDefault();
    await run(async () => {
      const when = fromZonedInput(startsAt);
      const r = await api.schedule({ client, clinician: clinician || app.session.member, fee: Number(fee), ...(when ? { startsAt: when } : {}) });
      await props.onBooked();
      return r.summary || 'The appointment is booked.';
    });
  }

  return (
    <section className="panel">
      <h2>Book an appointment</h2>
      {app.clients.length === 0 ? (
        <Notice kind="info">You have no clients to book for.</Notice>
      ) : (
        <form onSubmit={submit} className="stack">
          <ClientField clients={app.clients} value={client} onChange={setClient} required />
          <ChoiceField
            label="Clinician"
            choices={clinicians}
            placeholder={clinicians.length > 0 ? 'Choose a clinician' : 'Me'}
            value={clinician}
            onChange={setClinician}
            required={clinicians.length > 0}
          />
          <label className="field">
            <span>Starts</span>
            <input type="datetime-local" value={startsAt} onChange={(e) => setStartsAt(e.target.value)} />
          </label>
          <label className="field">
            <span>Fee (USD)</span>
            <input type="number" min={0} step="0.01" value={fee} onChange={(e) => setFee(e.target.value)} required />
          </label>
          <p className="muted small">The fee is charged to the client: {fee ? formatMoney(Number(fee)) : '—'}.</p>
          <SubmitRow outcome={outcome} busy={busy}>
            Book
          </SubmitRow>
        </form>
      )}
    </section>
  );
}

/** Billing: charges and insurance payments the API shows this member, and recording a payment. */
import { useState, type FormEvent } from 'react';
import { api } from '../api.js';
import { useApp } from '../context.js';
import { PageHeader, ShowMore, usePaged, useCommand } from '../components/ui.js';
import { SubmitRow } from '../components/SubmitRow.js';
import { DataTable } from '../components/DataTable.js';
import { ShowList } from '../components/ShowList.js';
import { OfferedPanel, useOffer } from '../components/Offered.js';
import { formatDate, formatMoney } from '../words.js';

export function BillingPage() {
  const app = useApp();
  const [charges] = usePaged((after) => api.billing(after), []);
  const [payments, reloadPayments] = usePaged((after) => api.insurancePayments(after), []);
  const record = useOffer('billing', 'record_payment');
  return (
    <section>
      <PageHeader title="Billing" subtitle="Charges and insurance payments for the clients you can bill." />
      <section className="panel">
        <h2>Charges</h2>
        <ShowList value={charges} what="charges" empty="No charges to show.">
          {(d) => (
            <>
              <DataTable
                label="Charges"
                columns={[
                  { header: 'Date', extra: true, cell: (c) => formatDate(c.at) },
                  { header: 'Client', cell: (c) => app.clientName(c.client) },
                  { header: 'Clinician', extra: true, cell: (c) => app.memberName(c.clinician) },
                  { header: 'Amount', className: 'num', cell: (c) => formatMoney(c.amount) },
                ]}
                rows={d.items}
                rowKey={(c) => c.id}
                rowAttributes={(c) => ({ 'data-client': c.client })}
              />
              <ShowMore list={d} what="charges" />
            </>
          )}
        </ShowList>
      </section>
      <div className="grid-2 grid-wide-left">
        <section className="panel">
          <h2>Insurance payments</h2>
          <p className="muted small">A payment appears only when you can access every client it covers.</p>
          <ShowList value={payments} what="insurance payments" empty="No insurance payments to show.">
            {(d) => (
              <>
                <DataTable
                  label="Insurance payments"
                  columns={[
                    { header: 'Clients covered', cell: (p) => p.covers.map((c) => app.clientName(c)).join(', ') },
                    { header: 'Amount', className: 'num', cell: (p) => formatMoney(p.amount) },
                  ]}
                  rows={d.items}
                  rowKey={(p) => p.id}
                />
                <ShowMore list={d} what="insurance payments" />
              </>
            )}
          </ShowList>
        </section>
        <OfferedPanel title="Record an insurance payment" decision={record}>
          <RecordPayment onRecorded={reloadPayments} />
        </OfferedPanel>
      </div>
    </section>
  );
}

function RecordPayment(props: { onRecorded: () => Promise<void> }) {
  const app = useApp();
  const [covers, setCovers] = useState<string[]>([]);
  const [amount, setAmount] = useState('');
  const { busy, outcome, run } = useCommand();

  async function submit(e: FormEvent) {
    e.preventDefault();
    await run(async () => {
      const r = await api.recordPayment(covers, Number(amount));
      setCovers([]);
      setAmount('');
      await props.onRecorded();
      return r.summary || 'The payment is recorded.';
    });
  }

  return (
    <section className="panel">
      <h2>Record an insurance payment</h2>
      <form onSubmit={submit} className="stack">
        <fieldset className="checks compact">
          <legend>Clients it covers</legend>
          {app.clients.length === 0 ? <p className="muted">No clients.</p> : null}
          {app.clients.map((c) => (
            <label key={c.id} className="check-inline">
              <input
                type="checkbox"
                checked={covers.includes(c.id)}
                onChange={(e) => setCovers((cs) => (e.target.checked ? [...cs, c.id] : cs.filter((x) => x !== c.id)))}
              />
              <span>{c.name}</span>
            </label>
          ))}
        </fieldset>
        <label className="field">
          <span>Amount (USD)</span>
          <input type="number" min={0} step="0.01" value={amount} onChange={(e) => setAmount(e.target.value)} required />
        </label>
        <SubmitRow outcome={outcome} busy={busy} disabled={covers.length === 0}>
          Record payment
        </SubmitRow>
      </form>
    </section>
  );
}

/**
 * Sharing a client with all clinicians (seed 003) asks first, naming who would gain clinical
 * access: the API's list (the core's `sharingGains`), not one this page works out.
 */
import { useState } from 'react';
import { api, type PrivacyTab } from '../../api.js';
import { useApp } from '../../context.js';
import { Dialog, Notice, type Outcome } from '../../components/ui.js';
import { DialogButtons } from '../../components/DialogButtons.js';
import { errorText } from '../../words.js';

export function ShareDialog(props: { tab: PrivacyTab; clientName: string; onClose: () => void; onDone: (o: Outcome) => Promise<void> }) {
  const app = useApp();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const gains = props.tab.sharing.gains;

  async function confirm() {
    setBusy(true);
    setError(null);
    try {
      const r = await api.shareWithAll(props.tab.client.id, true);
      await props.onDone({ kind: 'success', text: r.summary || 'Shared with all clinicians.' });
    } catch (e) {
      setError(errorText(e));
      setBusy(false);
    }
  }

  return (
    <Dialog
      title={`Share ${props.clientName} with all clinicians?`}
      onClose={props.onClose}
      footer={
        <DialogButtons onCancel={props.onClose} onConfirm={() => void confirm()} disabled={busy}>
          Share with all clinicians
        </DialogButtons>
      }
    >
      {gains.length === 0 ? (
        <p>Every clinician of the practice already has clinical access to {props.clientName}: nobody gains access.</p>
      ) : (
        <>
          <p>
            {gains.length === 1 ? 'This clinician gains' : `These ${gains.length} clinicians gain`} clinical access to {props.clientName}, including the clinical
            record:
          </p>
          <ul className="review" aria-label="Who gains access">
            {gains.map((m) => (
              <li key={m}>{app.memberName(m)}</li>
            ))}
          </ul>
        </>
      )}
      <p className="muted small">Clinicians who join the practice later gain access too, until sharing is turned off.</p>
      {error ? <Notice kind="error">{error}</Notice> : null}
    </Dialog>
  );
}

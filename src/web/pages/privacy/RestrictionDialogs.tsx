/**
 * Turning restricted access on and off (seed 001): each dialog reviews what changes first;
 * turning it off asks for the acknowledgement the command requires.
 */
import { useState } from 'react';
import { api, type ClientDetail } from '../../api.js';
import { Dialog, Notice, type Outcome } from '../../components/ui.js';
import { DialogButtons } from '../../components/DialogButtons.js';
import { errorText } from '../../words.js';

type DialogProps = { client: ClientDetail; onClose: () => void; onDone: (o: Outcome) => Promise<void> };

/** Runs the dialog's command once confirmed: done with its summary, or the error shown and the button enabled again. */
function useConfirm(run: () => Promise<{ summary: string }>, fallback: string, onDone: (o: Outcome) => Promise<void>) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  async function confirm() {
    setBusy(true);
    setError(null);
    try {
      const r = await run();
      await onDone({ kind: 'success', text: r.summary || fallback });
    } catch (e) {
      setError(errorText(e));
      setBusy(false);
    }
  }
  return { error, busy, confirm: () => void confirm() };
}

export function TurnOnDialog(props: DialogProps) {
  const { error, busy, confirm } = useConfirm(() => api.restrict(props.client.id), 'Restricted access is on.', props.onDone);
  return (
    <Dialog
      title={`Restrict access to ${props.client.name}?`}
      onClose={props.onClose}
      footer={
        <DialogButtons onCancel={props.onClose} onConfirm={confirm} disabled={busy}>
          Turn on restricted access
        </DialogButtons>
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

export function TurnOffDialog(props: DialogProps) {
  const [ack, setAck] = useState(false);
  const { error, busy, confirm } = useConfirm(() => api.unrestrict(props.client.id, ack), 'Restricted access is off.', props.onDone);
  return (
    <Dialog
      title={`Lift the restrictions on ${props.client.name}?`}
      onClose={props.onClose}
      footer={
        <DialogButtons onCancel={props.onClose} onConfirm={confirm} disabled={busy} cancel="Keep restricted" kind="danger">
          Turn off
        </DialogButtons>
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

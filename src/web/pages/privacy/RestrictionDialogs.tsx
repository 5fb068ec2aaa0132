/**
 * Turning restricted access on and off (seed 001): each dialog reviews what changes first;
 * turning it off asks for the acknowledgement the command requires.
 */
import { useId, useState } from 'react';
import { api, type ClientDetail } from '../../api.js';
import { Dialog, Notice, type Outcome } from '../../components/ui.js';
import { DialogButtons } from '../../components/DialogButtons.js';
import { errorText } from '../../words.js';

type DialogProps = { client: ClientDetail; onClose: () => void; onDone: (o: Outcome) => Promise<void> };

/** The restriction bar's button (on, off or the menu's): where the focus returns, as the menu item that opened the dialog is gone. */
const barButton = () => document.querySelector<HTMLElement>('#restriction-bar button');

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
      returnFocus={barButton}
      footer={
        <DialogButtons onCancel={props.onClose} onConfirm={confirm} disabled={busy}>
          Turn on restricted access
        </DialogButtons>
      }
    >
      <p>Review what changes before you continue:</p>
      <ul className="review">
        <li>Nobody loses access when you turn this on: everyone who sees this client now keeps seeing them until the account owner revokes their access.</li>
        <li>
          Once restricted, the account owner chooses under Administrative who keeps administrative access. Anyone whose access is revoked stops seeing this
          client everywhere: the client list, calendar, billing and insurance payments, secure messages, tasks, notifications, the activity log and reports.
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
  const ackId = useId();
  const { error, busy, confirm } = useConfirm(() => api.unrestrict(props.client.id, ack), 'Restricted access is off.', props.onDone);
  return (
    <Dialog
      title={`Lift the restrictions on ${props.client.name}?`}
      onClose={props.onClose}
      returnFocus={barButton}
      footer={
        <DialogButtons onCancel={props.onClose} onConfirm={confirm} disabled={busy || !ack} cancel="Keep restricted" kind="danger" describedBy={ack ? undefined : ackId}>
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
      {ack ? null : (
        <p className="muted small" id={ackId}>
          Tick the acknowledgement to turn restricted access off.
        </p>
      )}
      {error ? <Notice kind="error">{error}</Notice> : null}
    </Dialog>
  );
}

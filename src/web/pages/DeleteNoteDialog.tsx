/**
 * Deleting a note: an in-app dialog that names the note and asks why (the reason is kept in
 * the activity log's entry); the note page then confirms the deletion.
 */
import { useState } from 'react';
import { api, type Note } from '../api.js';
import { useApp } from '../context.js';
import { Dialog, Notice } from '../components/ui.js';
import { DialogButtons } from '../components/DialogButtons.js';
import { NOTE_KIND_LABEL, errorText, formatDateTime, labelOf } from '../words.js';

/** A note in words: "Clinical note by Ana Alvarez about Avery Lindqvist, Dec 3, 2026, 3:00 PM". */
export function useNoteName(): (n: Note) => string {
  const app = useApp();
  return (n) => `${labelOf(NOTE_KIND_LABEL, n.kind)} by ${app.memberName(n.author)} about ${app.clientName(n.client)}${n.at ? `, ${formatDateTime(n.at)}` : ''}`;
}

export function DeleteNoteDialog(props: { note: Note; onClose: () => void; onDeleted: (reason: string) => void }) {
  const noteName = useNoteName();
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const given = reason.trim();

  async function confirm() {
    setBusy(true);
    setError(null);
    try {
      await api.deleteNote(props.note.id, given);
      props.onDeleted(given);
    } catch (e) {
      setError(errorText(e));
      setBusy(false);
    }
  }

  return (
    <Dialog
      title="Delete this note?"
      onClose={props.onClose}
      footer={
        <DialogButtons onCancel={props.onClose} onConfirm={() => void confirm()} disabled={busy || given === ''} kind="danger">
          Delete the note
        </DialogButtons>
      }
    >
      <p>
        <strong>{noteName(props.note)}</strong>
        {props.note.signed ? ' (signed)' : ' (draft)'}
      </p>
      <p>The note leaves every list and can't be opened again in ChartGuard. The activity log keeps that it was deleted, by whom and why.</p>
      <label className="field">
        <span>Why is it deleted?</span>
        <textarea rows={3} maxLength={500} value={reason} onChange={(e) => setReason(e.target.value.replace(/[\r\n]+/g, ' '))} required />
      </label>
      {error ? <Notice kind="error">{error}</Notice> : null}
    </Dialog>
  );
}

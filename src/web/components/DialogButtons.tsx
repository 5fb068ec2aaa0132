/** A dialog's footer: Cancel, then the button that does what the dialog asks. */
import type { ReactNode } from 'react';

/**
 * @example
 * <Dialog title="…" onClose={close} footer={<DialogButtons onCancel={close} onConfirm={save} disabled={busy}>Save</DialogButtons>}>
 */
export function DialogButtons(props: {
  onCancel: () => void;
  onConfirm: () => void;
  children: ReactNode;
  disabled?: boolean;
  cancel?: string;
  kind?: 'primary' | 'danger';
  /** The id of the line saying why the button is disabled. */
  describedBy?: string;
}) {
  return (
    <>
      <button type="button" className="button button-quiet" onClick={props.onCancel}>
        {props.cancel ?? 'Cancel'}
      </button>
      <button type="button" className={`button button-${props.kind ?? 'primary'}`} disabled={props.disabled === true} aria-describedby={props.describedBy} onClick={props.onConfirm}>
        {props.children}
      </button>
    </>
  );
}

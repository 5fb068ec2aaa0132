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
}) {
  return (
    <>
      <button type="button" className="button button-quiet" onClick={props.onCancel}>
        {props.cancel ?? 'Cancel'}
      </button>
      <button type="button" className={`button button-${props.kind ?? 'primary'}`} disabled={props.disabled === true} onClick={props.onConfirm}>
        {props.children}
      </button>
    </>
  );
}

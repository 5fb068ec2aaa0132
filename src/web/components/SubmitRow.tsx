/** The end of a form that runs a command: its outcome line, then the submit button, which is disabled while the command runs. */
import type { ReactNode } from 'react';
import { OutcomeLine, type Outcome } from './ui.js';

/**
 * @example
 * const { busy, outcome, run } = useCommand();
 * <SubmitRow outcome={outcome} busy={busy}>Send</SubmitRow>
 */
export function SubmitRow(props: { outcome: Outcome; busy: boolean; /** Disabled for another reason too. */ disabled?: boolean; children: ReactNode }) {
  return (
    <>
      <OutcomeLine outcome={props.outcome} />
      <div className="row-end">
        <button type="submit" className="button button-primary" disabled={props.busy || props.disabled === true}>
          {props.children}
        </button>
      </div>
    </>
  );
}

/**
 * The Privacy tab (seeds 000 and 001): who has clinical and administrative access to a
 * client, the dialogs that change it, and restricted access on and off.
 *
 * Every checkbox, option and button shows the API's decision: the PrivacyTab document
 * says whether each can change and, when not, the refusal code we put into words. The
 * panels, the Manage dialog and the restriction dialogs live in privacy/.
 */
import { useState } from 'react';
import { api, type ClientDetail, type PrivacyTab } from '../api.js';
import { ActionButton, Show, useLoad, type Outcome, OutcomeLine } from '../components/ui.js';
import { errorText } from '../words.js';
import { AdministrativeSection, ClinicalSection } from './privacy/AccessSections.js';
import { ManageDialog } from './privacy/ManageDialog.js';
import { TurnOffDialog, TurnOnDialog } from './privacy/RestrictionDialogs.js';
import { ShareDialog } from './privacy/ShareDialog.js';

type Open = null | 'clinical' | 'administrative' | 'turn-on' | 'turn-off' | 'share';

export function PrivacyTabView(props: { client: ClientDetail; onChanged: () => Promise<void> }) {
  const [tab, reload] = useLoad(() => api.privacy(props.client.id), [props.client.id]);
  const [open, setOpen] = useState<Open>(null);
  const [outcome, setOutcome] = useState<Outcome>(null);

  // The dialog closes once the tab shows the change, so the focus returns to what is on the page then.
  async function changed(o: Outcome) {
    await Promise.all([reload(), props.onChanged()]);
    setOpen(null);
    setOutcome(o);
  }

  async function share(on: boolean) {
    setOutcome(null);
    try {
      const r = await api.shareWithAll(props.client.id, on);
      await changed({ kind: 'success', text: r.summary || (on ? 'Shared with all clinicians.' : 'No longer shared with all clinicians.') });
    } catch (e) {
      setOutcome({ kind: 'error', text: errorText(e) });
    }
  }

  return (
    <Show value={tab} what="privacy settings">
      {(t) => (
        <div className="privacy">
          <RestrictionBar tab={t} onTurnOn={() => setOpen('turn-on')} onTurnOff={() => setOpen('turn-off')} />
          <OutcomeLine outcome={outcome} />
          {/* Sharing asks first, naming who gains access; stopping it does not widen anyone's access. */}
          <ClinicalSection tab={t} onManage={() => setOpen('clinical')} onShare={(on) => (on ? setOpen('share') : void share(false))} />
          <AdministrativeSection tab={t} onManage={() => setOpen('administrative')} />
          {open === 'clinical' || open === 'administrative' ? (
            <ManageDialog kind={open} tab={t} clientName={props.client.name} onClose={() => setOpen(null)} onSaved={changed} reload={reload} />
          ) : null}
          {open === 'share' ? <ShareDialog tab={t} clientName={props.client.name} onClose={() => setOpen(null)} onDone={changed} /> : null}
          {open === 'turn-on' ? <TurnOnDialog client={props.client} onClose={() => setOpen(null)} onDone={changed} /> : null}
          {open === 'turn-off' ? <TurnOffDialog client={props.client} onClose={() => setOpen(null)} onDone={changed} /> : null}
        </div>
      )}
    </Show>
  );
}

function RestrictionBar(props: { tab: PrivacyTab; onTurnOn: () => void; onTurnOff: () => void }) {
  const [menu, setMenu] = useState(false);
  const t = props.tab;
  if (t.client.restricted) {
    return (
      <div className="restriction-bar restriction-on" id="restriction-bar">
        <div className="menu-anchor">
          <button
            type="button"
            className="badge-button"
            aria-haspopup="true"
            aria-expanded={menu}
            aria-controls="restriction-menu"
            onClick={() => setMenu((m) => !m)}
            onKeyDown={(e) => {
              if (e.key === 'Escape') setMenu(false);
            }}
          >
            <span className="lock" aria-hidden="true" />
            Restricted access on
            <span aria-hidden="true" className="caret">
              ▾
            </span>
          </button>
          {menu ? (
            <div
              id="restriction-menu"
              className="menu"
              onKeyDown={(e) => {
                if (e.key === 'Escape') setMenu(false);
              }}
            >
              <ActionButton
                decision={t.restrict}
                kind="quiet"
                onClick={() => {
                  setMenu(false);
                  props.onTurnOff();
                }}
              >
                Turn off restricted access…
              </ActionButton>
            </div>
          ) : null}
        </div>
        <p className="muted">Only the team members chosen below can see this client anywhere in ChartGuard.</p>
      </div>
    );
  }
  return (
    <div className="restriction-bar" id="restriction-bar">
      <div>
        <h2 className="h3">Restricted access</h2>
        <p className="muted">Off. Everyone whose role includes administrative work can see this client within that role.</p>
      </div>
      <ActionButton decision={t.restrict} kind="secondary" onClick={props.onTurnOn}>
        Turn on
      </ActionButton>
    </div>
  );
}

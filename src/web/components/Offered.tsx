/**
 * What the member's role offers, as /api/me's areas say (the core's appAreas): a form shows
 * where its command could succeed; where it could not, its title and the core's reason.
 */
import type { ReactNode } from 'react';
import type { Decision, Me } from '../api.js';
import { useApp } from '../context.js';
import { Notice } from './ui.js';
import { decisionText } from '../words.js';

type Areas = Me['areas'];

/**
 * The decision on one of an area's actions; undefined while /api/me is unknown (the server decides each command anyway).
 *
 * @example
 * const cosign = useOffer('note_queues', 'cosign');
 */
export function useOffer<A extends keyof Areas>(area: A, action: keyof Areas[A]['actions']): Decision | undefined {
  const areas = useApp().me?.areas;
  return areas ? (areas[area].actions as Record<keyof Areas[A]['actions'], Decision>)[action] : undefined;
}

/** Whether an action is offered: allowed, or not yet known. */
export const isOffered = (d: Decision | undefined): boolean => d === undefined || d.allowed;

/** A side panel's form when offered; otherwise the panel's title and why it is not. */
export function OfferedPanel(props: { title: string; decision: Decision | undefined; children: ReactNode }) {
  if (isOffered(props.decision)) return <>{props.children}</>;
  return (
    <section className="panel">
      <h2>{props.title}</h2>
      <Notice kind="info">{decisionText(props.decision)}</Notice>
    </section>
  );
}

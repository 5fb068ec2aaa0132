/** Access review: who can see a client and why; what a member can see and why. */
import { useState, type ReactNode } from 'react';
import { api, ApiError, type AccessPath } from '../api.js';
import { useApp } from '../context.js';
import { Badge, Empty, Link, Notice, PageHeader, Show, ShowMore, useLoad, usePaged, ClientField } from '../components/ui.js';
import { ChoiceField } from '../components/ChoiceField.js';
import { rolesText } from '../words.js';
import { useOffer } from '../components/Offered.js';

function Why(props: { label: string; path: AccessPath | null }) {
  if (!props.path) return null;
  return (
    <li>
      <Badge tone={props.label === 'Clinical' ? 'ok' : 'limited'}>{props.label}</Badge> <span className="small">{props.path.text}</span>
    </li>
  );
}

/** Each member (or client) with the paths that give clinical and administrative access. */
function AccessList<T extends { clinical: AccessPath | null; administrative: AccessPath | null }>(props: {
  items: readonly T[];
  empty: string;
  what: 'member' | 'client';
  id: (item: T) => string;
  head: (item: T) => ReactNode;
}) {
  if (props.items.length === 0) return <Empty>{props.empty}</Empty>;
  return (
    <ul className="access-list">
      {props.items.map((item) => (
        <li key={props.id(item)} {...{ [`data-${props.what}`]: props.id(item) }}>
          <div>{props.head(item)}</div>
          <ul className="why">
            <Why label="Clinical" path={item.clinical} />
            <Why label="Administrative" path={item.administrative} />
          </ul>
        </li>
      ))}
    </ul>
  );
}

export function WhoCanAccessView(props: { client: string }) {
  const app = useApp();
  const [who] = useLoad(() => api.whoCanAccess(props.client), [props.client]);
  return (
    <section className="panel">
      <h2>Who can see {app.clientName(props.client)}, and why</h2>
      <Show value={who} what="access">
        {(w) => (
          <AccessList
            items={w.members}
            empty="Nobody."
            what="member"
            id={(m) => m.member}
            head={(m) => (
              <>
                <strong>{app.memberName(m.member)}</strong> <span className="muted small">{rolesText(m.roles)}</span>
              </>
            )}
          />
        )}
      </Show>
    </section>
  );
}

/** What a member can see, a page at a time (by client id), with "Show more". */
function WhatMemberCanAccess(props: { member: string }) {
  const app = useApp();
  const [what] = usePaged((after) => api.memberAccess(props.member, after), [props.member]);
  const refused = what.state === 'error' && what.error instanceof ApiError && what.error.status === 403;
  return (
    <section className="panel">
      <h2>What {app.memberName(props.member)} can see, and why</h2>
      {refused ? <Notice kind="info">Your role does not let you review what other team members can access. Choose yourself to see your own access.</Notice> : null}
      {refused ? (
        <Empty>No clients.</Empty>
      ) : (
        <Show value={what} what="access">
          {(d) => (
            <>
              <AccessList
                items={d.items}
                empty="No clients."
                what="client"
                id={(i) => i.client}
                head={(i) => <Link to={`/clients/${encodeURIComponent(i.client)}`}>{app.clientName(i.client)}</Link>}
              />
              {d.items.length > 0 ? <ShowMore list={d} what="clients" /> : null}
            </>
          )}
        </Show>
      )}
    </section>
  );
}

export function AccessReviewPage() {
  const app = useApp();
  const [client, setClient] = useState('');
  const [member, setMember] = useState(app.session.member);
  const reviewOthers = useOffer('access_review', 'review_others');
  const people = app.team.length > 0 ? app.team : [{ id: app.session.member, name: app.session.name, roles: app.session.roles }];
  return (
    <section>
      <PageHeader title="Access review" subtitle="Every answer comes with its reason, from the same rules that decide access." />
      <div className="grid-2">
        <div className="stack">
          <ClientField clients={app.clients} value={client} onChange={setClient} />
          {client ? <WhoCanAccessView client={client} /> : <p className="muted">Choose a client to see who can access them.</p>}
        </div>
        <div className="stack">
          {/* Choosing another member is for who may review others' access (the core's areas); everyone reviews their own. */}
          {reviewOthers?.allowed ? <ChoiceField label="Team member" choices={people} value={member} onChange={setMember} /> : null}
          <WhatMemberCanAccess member={member} />
        </div>
      </div>
    </section>
  );
}

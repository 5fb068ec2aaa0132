/**
 * The web app's only way to the server: JSON over fetch, the session cookie, and the CSRF
 * header on every write. Errors arrive as problem documents and become ApiError values
 * carrying the refusal code, so a page can say why in words (words.ts).
 */
import type { Answer, ClientDetail, CommandAnswer, Decision, Me, Note, Settings, OpenedNote, PrivacyTab, ProblemBody, ProblemCode, Reason, Report, ServerCode, Session, Team, WhatCanAccess, WhoCanAccess } from '../api/index.js';
import type * as A from '../api/index.js';
import type { ClinicianRole } from '../core/roles.js';

// Every answer's type is the API contract's (src/api), imported type-only: none is written here again.
export type {
  AccessPath,
  ClientDetail,
  ClientSummary,
  CommandAnswer,
  Decision,
  Me,
  Note,
  OpenedNote,
  PrivacyTab,
  Reason,
  Report,
  Session,
  Settings,
  NotificationItem,
  Team,
  TeamMember,
  WhatCanAccess,
  WhoCanAccess,
  CalendarItem as Appointment,
  Charge,
} from '../api/index.js';
export type ActivityEntry = Answer<typeof A.ActivityLogOut>['items'][number];
export type Message = Answer<typeof A.MessagesOut>['items'][number];
export type PanelRow = PrivacyTab['rows'][number];
export type Checkbox = PanelRow['clinical'];
export type PrimaryOption = PrivacyTab['primaryOptions'][number];

/** What the setup page sends (POST /api/setup/:token). */
export interface PracticeSetupInput {
  readonly practiceName: string;
  readonly name: string;
  readonly email: string;
  readonly username: string;
  readonly password: string;
  readonly clinicianRole: ClinicianRole | null;
}

/** What the public intake page sends (POST /api/intake/:token). */
export interface IntakeFormInput {
  readonly name: string;
  readonly contact?: string;
  readonly dateOfBirth?: string;
  readonly answers?: readonly { readonly question: string; readonly answer: string }[];
  readonly choice?: string;
  readonly website?: string;
}

/** One page of a list; `next` is the cursor of the following page, null on the last. */
export interface Page<T> {
  readonly items: readonly T[];
  readonly next: string | null;
  /** Every item of the list, where the server counts them (clients). */
  readonly total?: number;
}

/** Codes only the browser gives a failure: the server unreachable, and sign-in's own two. */
export type WebCode = 'network' | 'invalid_credentials' | 'invalid_totp';
/** Codes an ApiError carries: the contract's problem codes, the browser's, or `error` (no code at all). */
export type ErrorCode = ProblemCode | WebCode | 'error';
/** The codes with no sentence in the core: the server's own and the browser's (words.ts says each). */
export type EdgeCode = ServerCode | WebCode;

/** A refused or failed request, as the server's problem document described it. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly reasons: readonly Reason[] = [],
  ) {
    super(message);
  }
}

let csrfToken = '';
let onSignedOut: (() => void) | null = null;

/** Remembers the session's CSRF token (sent on every write). */
export function setCsrfToken(token: string): void {
  csrfToken = token;
}

/** Called whenever the server says the session is gone (401 outside sign-in). */
export function whenSignedOut(fn: (() => void) | null): void {
  onSignedOut = fn;
}

async function request<T>(method: string, path: string, body?: unknown, options: { signIn?: boolean } = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json, application/problem+json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  let res: Response;
  try {
    res = await fetch(path, { method, headers, credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body) });
  } catch {
    throw new ApiError(0, 'network', 'The server could not be reached. Check your connection and try again.');
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let data: unknown = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = null;
    }
  }
  if (!res.ok) {
    const p = (data ?? {}) as Partial<ProblemBody>;
    const code: ErrorCode = p.code ?? (res.status === 401 ? 'unauthenticated' : res.status === 404 ? 'not_found' : res.status === 403 ? 'forbidden' : 'error');
    const err = new ApiError(res.status, code, p.detail ?? p.title ?? res.statusText, Array.isArray(p.reasons) ? p.reasons : []);
    if (res.status === 401 && !options.signIn && code !== 'totp_required') onSignedOut?.();
    throw err;
  }
  return data as T;
}

const enc = encodeURIComponent;

/** The query string of a page: its size, the previous page's cursor, and the list's own filters (those set). */
function pageQuery(after: string | null | undefined, limit: number | undefined, filters: Readonly<Record<string, string | number | undefined>> = {}): string {
  const q = new URLSearchParams();
  for (const [name, value] of Object.entries(filters)) if (value !== undefined && value !== '') q.set(name, String(value));
  if (limit !== undefined) q.set('limit', String(limit));
  if (after) q.set('after', after);
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** The activity log's filters (GET /api/activity-log), each optional and combined: `from` and `to` are epoch ms, `to` excluded. */
export interface ActivityFilter {
  readonly member?: string;
  readonly client?: string;
  readonly action?: string;
  readonly outcome?: string;
  readonly from?: number;
  readonly to?: number;
}

export const api = {
  // session
  /** With the authenticator app's code, or one of the account's recovery codes, when asked for (or to pass a sign-in slowdown). */
  signIn: (username: string, password: string, second?: { totp: string } | { recoveryCode: string }) =>
    request<Session>('POST', '/api/session', { username, password, ...second }, { signIn: true }),
  session: () => request<Session>('GET', '/api/session', undefined, { signIn: true }),
  keepalive: () => request<void>('POST', '/api/session/keepalive'),
  signOut: () => request<void>('DELETE', '/api/session', undefined, { signIn: true }),
  me: () => request<Me>('GET', '/api/me'),
  changePassword: (current: string, next: string) => request<void>('POST', '/api/session/password', { current, next }),
  totpEnroll: () => request<Answer<typeof A.TotpEnrollOut>>('POST', '/api/session/totp/enroll'),
  totpConfirm: (code: string, password: string) => request<void>('POST', '/api/session/totp/confirm', { code, password }),
  totpDisable: (code: string, password: string) => request<void>('DELETE', '/api/session/totp', { code, password }),
  recoveryCodes: (password: string) => request<Answer<typeof A.RecoveryCodesOut>>('POST', '/api/session/recovery-codes', { password }),

  // one-time links: no session yet (a failure is the link's, never a signed-out session)
  setupDetails: (token: string) => request<Answer<typeof A.SetupDetailsOut>>('GET', `/api/setup/${enc(token)}`, undefined, { signIn: true }),
  setUpPractice: (token: string, input: PracticeSetupInput) => request<Answer<typeof A.SetupDoneOut>>('POST', `/api/setup/${enc(token)}`, input, { signIn: true }),
  invitation: (token: string) => request<Answer<typeof A.InvitationDetailsOut>>('GET', `/api/invitations/${enc(token)}`, undefined, { signIn: true }),
  acceptInvitation: (token: string, username: string, password: string) =>
    request<Session>('POST', `/api/invitations/${enc(token)}`, { username, password }, { signIn: true }),
  // the public intake form: nobody signs in
  intakeForm: (token: string) => request<Answer<typeof A.IntakeFormOut>>('GET', `/api/intake/${enc(token)}`, undefined, { signIn: true }),
  sendIntake: (token: string, form: IntakeFormInput) => request<Answer<typeof A.IntakeReceivedOut>>('POST', `/api/intake/${enc(token)}`, form, { signIn: true }),
  passwordReset: (token: string) => request<Answer<typeof A.PasswordResetDetailsOut>>('GET', `/api/password-resets/${enc(token)}`, undefined, { signIn: true }),
  completePasswordReset: (token: string, password: string) =>
    request<{ session: Session | null }>('POST', `/api/password-resets/${enc(token)}`, { password }, { signIn: true }),

  // team
  team: () => request<Team>('GET', '/api/team'),
  setRoles: (member: string, roles: readonly string[]) => request<CommandAnswer>('PUT', `/api/team/${enc(member)}/roles`, { roles }),
  addMember: (m: { name: string; email?: string; roles: readonly string[] }) => request<Answer<typeof A.MemberAddedOut>>('POST', '/api/team', m),
  inviteMember: (member: string) => request<Answer<typeof A.InvitationOut>>('POST', `/api/team/${enc(member)}/invitation`),
  editMember: (member: string, details: { name?: string; email?: string | null }) => request<CommandAnswer>('PUT', `/api/team/${enc(member)}`, details),
  deactivateMember: (member: string) => request<CommandAnswer>('POST', `/api/team/${enc(member)}/deactivate`),
  reactivateMember: (member: string) => request<CommandAnswer>('POST', `/api/team/${enc(member)}/reactivate`),
  transferOwnership: (member: string) => request<CommandAnswer>('POST', '/api/team/ownership', { member }),
  addSupervision: (supervisor: string, supervisee: string) => request<CommandAnswer>('POST', '/api/team/supervision', { supervisor, supervisee }),
  endSupervision: (supervisor: string, supervisee: string) => request<CommandAnswer>('DELETE', `/api/team/supervision/${enc(supervisor)}/${enc(supervisee)}`),
  resetPassword: (member: string) => request<Answer<typeof A.PasswordResetOut>>('POST', `/api/team/${enc(member)}/password-reset`),
  liftSignInThrottle: (member: string) => request<Answer<typeof A.ThrottleLiftedOut>>('DELETE', `/api/team/${enc(member)}/sign-in-throttle`),

  // clients
  clients: (after?: string | null, limit?: number) => request<Answer<typeof A.ClientPageOut>>('GET', `/api/clients${pageQuery(after, limit)}`),
  directory: (after?: string | null, limit?: number) => request<Answer<typeof A.DirectoryOut>>('GET', `/api/directory${pageQuery(after, limit)}`),
  directoryEntries: (ids: readonly string[]) => request<Answer<typeof A.DirectoryEntriesOut>>('GET', `/api/directory/entries?ids=${ids.map(enc).join(',')}`),
  createClient: (input: { name: string; primary?: string; intakeLink?: string }) => request<CommandAnswer>('POST', '/api/clients', input),
  client: (id: string) => request<ClientDetail>('GET', `/api/clients/${enc(id)}`),
  privacy: (id: string) => request<PrivacyTab>('GET', `/api/clients/${enc(id)}/privacy`),
  whoCanAccess: (id: string) => request<WhoCanAccess>('GET', `/api/clients/${enc(id)}/access`),
  grantClinical: (id: string, member: string, untilDays?: number) =>
    request<CommandAnswer>('POST', `/api/clients/${enc(id)}/clinical-access`, untilDays ? { member, untilDays } : { member }),
  revokeClinical: (id: string, member: string) => request<CommandAnswer>('DELETE', `/api/clients/${enc(id)}/clinical-access/${enc(member)}`),
  grantAdministrative: (id: string, member: string) => request<CommandAnswer>('POST', `/api/clients/${enc(id)}/administrative-access`, { member }),
  revokeAdministrative: (id: string, member: string) => request<CommandAnswer>('DELETE', `/api/clients/${enc(id)}/administrative-access/${enc(member)}`),
  setPrimary: (id: string, member: string) => request<CommandAnswer>('PUT', `/api/clients/${enc(id)}/primary-clinician`, { member }),
  restrict: (id: string) => request<CommandAnswer>('POST', `/api/clients/${enc(id)}/restriction`, { on: true }),
  unrestrict: (id: string, acknowledge: boolean) => request<CommandAnswer>('POST', `/api/clients/${enc(id)}/restriction`, { on: false, acknowledge }),
  shareWithAll: (id: string, on: boolean) => request<CommandAnswer>('PUT', `/api/clients/${enc(id)}/share-with-all`, { on }),

  // notes
  notes: (client: string, after?: string | null, limit?: number) => request<Answer<typeof A.NotesOut>>('GET', `/api/clients/${enc(client)}/notes${pageQuery(after, limit)}`),
  writeNote: (client: string, kind: string, body: string, sign: boolean) => request<CommandAnswer>('POST', `/api/clients/${enc(client)}/notes`, { kind, body, sign }),
  note: (id: string) => request<OpenedNote>('GET', `/api/notes/${enc(id)}`),
  signNote: (id: string) => request<CommandAnswer>('POST', `/api/notes/${enc(id)}/sign`),
  /** My note queues: `mine`, the notes I wrote; `cosign`, signed notes of members I supervise awaiting my co-signature. */
  noteQueue: (queue: 'mine' | 'cosign', after?: string | null, limit?: number) => request<Answer<typeof A.NotesOut>>('GET', `/api/notes${pageQuery(after, limit, { queue })}`),
  cosignNote: (id: string) => request<CommandAnswer>('POST', `/api/notes/${enc(id)}/cosign`),
  /** Deletes a note; the reason is kept in the activity log's entry. */
  deleteNote: (id: string, reason?: string) => request<CommandAnswer>('DELETE', `/api/notes/${enc(id)}`, reason ? { reason } : undefined),

  // practice areas
  calendar: (after?: string | null, limit?: number) => request<Answer<typeof A.CalendarPageOut>>('GET', `/api/calendar${pageQuery(after, limit)}`),
  schedule: (input: { client: string; clinician: string; fee: number; startsAt?: number }) => request<CommandAnswer>('POST', '/api/appointments', input),
  billing: (after?: string | null, limit?: number) => request<Answer<typeof A.BillingPageOut>>('GET', `/api/billing${pageQuery(after, limit)}`),
  insurancePayments: (after?: string | null, limit?: number) => request<Answer<typeof A.InsurancePaymentsOut>>('GET', `/api/insurance-payments${pageQuery(after, limit)}`),
  recordPayment: (covers: string[], amount: number) => request<CommandAnswer>('POST', '/api/insurance-payments', { covers, amount }),
  /** One client's secure messages I may see, oldest first (each page an audited read). */
  clientMessages: (client: string, after?: string | null, limit?: number) => request<Answer<typeof A.MessagesOut>>('GET', `/api/clients/${enc(client)}/messages${pageQuery(after, limit)}`),
  messages: (after?: string | null, limit?: number) => request<Answer<typeof A.MessagesOut>>('GET', `/api/messages${pageQuery(after, limit)}`),
  sendMessage: (client: string, body: string) => request<CommandAnswer>('POST', `/api/clients/${enc(client)}/messages`, { body }),
  tasks: (after?: string | null, limit?: number) => request<Answer<typeof A.TasksOut>>('GET', `/api/tasks${pageQuery(after, limit)}`),
  createTask: (client: string, assignee: string, title: string) => request<CommandAnswer>('POST', '/api/tasks', { client, assignee, title }),
  notifications: (after?: string | null, limit?: number) => request<Answer<typeof A.NotificationsOut>>('GET', `/api/notifications${pageQuery(after, limit)}`),
  /** My notifications, newest first (the bell), with my unread count. */
  latestNotifications: (limit: number) => request<Answer<typeof A.NotificationsOut>>('GET', `/api/notifications${pageQuery(null, limit, { order: 'newest' })}`),
  markNotificationRead: (id: string) => request<void>('POST', `/api/notifications/${enc(id)}/read`),
  markAllNotificationsRead: () => request<Answer<typeof A.NotificationsMarkedOut>>('POST', '/api/notifications/read-all'),

  // practice settings
  settings: () => request<Settings>('GET', '/api/settings'),
  changeSettings: (changes: Partial<Omit<Settings, 'defaultIdleLogoffMinutes'>>) => request<Settings>('PATCH', '/api/settings', changes),
  /** A page of the activity log, newest first, under the filters given (none: every entry I may see). */
  activityLog: (after?: string | null, filter: ActivityFilter = {}, limit?: number) =>
    request<Answer<typeof A.ActivityLogOut>>('GET', `/api/activity-log${pageQuery(after, limit, { ...filter })}`),
  report: (name: Report['name'], page: { limit?: number; after?: string | null } = {}) => {
    const q = new URLSearchParams();
    if (page.limit !== undefined) q.set('limit', String(page.limit));
    if (page.after) q.set('after', page.after);
    const query = q.toString();
    return request<Report>('GET', `/api/reports/${enc(name)}${query ? `?${query}` : ''}`);
  },
  check: (permission: string, target: { client?: string; note?: string; payment?: string } = {}) => {
    const q = new URLSearchParams({ permission });
    for (const [k, v] of Object.entries(target)) if (v) q.set(k, v);
    return request<Decision>('GET', `/api/check?${q.toString()}`);
  },
  memberAccess: (member: string, after?: string | null, limit?: number) => request<WhatCanAccess>('GET', `/api/members/${enc(member)}/access${pageQuery(after, limit)}`),
};

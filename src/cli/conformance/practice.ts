/** A scenario's practice (FORMAT "The practice"): settings, members and their roles, supervision and clients, read into the store's PracticeSpec. */
import { isRole, type Role } from '../../core/index.js';
import type { PracticeSpec } from '../../store/commands/create-practice.js';
import { bool, isObj, onlyKeys, ScenarioError, str, strictList, strList, type Obj } from './yaml.js';

const CLIENT_KEYS = new Set(['primary', 'restricted', 'shared_with_all', 'person']);

export function readPractice(id: string, doc: Obj): PracticeSpec {
  const settings = doc.settings === undefined ? {} : doc.settings;
  if (!isObj(settings)) throw new ScenarioError('settings: expected a mapping');
  onlyKeys('settings', settings, ['client_directory']);
  const directory = settings.client_directory ?? 'by_role';
  if (directory !== 'by_role' && directory !== 'all_staff') throw new ScenarioError(`settings.client_directory: unknown value ${JSON.stringify(directory)}`);

  if (!isObj(doc.members)) throw new ScenarioError('members: expected a mapping of member to roles');
  const members = Object.entries(doc.members).map(([id, roles]) => {
    const list = strList(`members.${id}`, roles);
    for (const r of list) if (!isRole(r)) throw new ScenarioError(`members.${id}: unknown role ${JSON.stringify(r)}`);
    return { id, roles: list as Role[] };
  });
  const memberIds = new Set(members.map((m) => m.id));
  const supervision = strictList(doc.supervision, 'supervision').map((s, i) => {
    if (!isObj(s)) throw new ScenarioError(`supervision[${i}]: expected a mapping`);
    onlyKeys(`supervision[${i}]`, s, ['supervisor', 'supervisee']);
    return { supervisor: str(`supervision[${i}].supervisor`, s.supervisor), supervisee: str(`supervision[${i}].supervisee`, s.supervisee) };
  });
  const clients = readClients(doc, memberIds);
  for (const s of supervision) {
    for (const m of [s.supervisor, s.supervisee]) if (!memberIds.has(m)) throw new ScenarioError(`supervision: unknown member ${JSON.stringify(m)}`);
  }
  return { id, clientDirectory: directory, members, supervision, clients };
}

function readClients(doc: Obj, memberIds: ReadonlySet<string>) {
  const clientsDoc = doc.clients === undefined ? {} : doc.clients;
  if (!isObj(clientsDoc)) throw new ScenarioError('clients: expected a mapping');
  return Object.entries(clientsDoc).map(([id, props]) => {
    if (!isObj(props)) throw new ScenarioError(`clients.${id}: expected a mapping`);
    for (const k of Object.keys(props)) if (!CLIENT_KEYS.has(k)) throw new ScenarioError(`clients.${id}: unknown property ${JSON.stringify(k)}`);
    const primary = str(`clients.${id}.primary`, props.primary);
    if (!memberIds.has(primary)) throw new ScenarioError(`clients.${id}.primary: unknown member ${JSON.stringify(primary)}`);
    return {
      id,
      primary,
      restricted: bool(`clients.${id}.restricted`, props.restricted, false),
      sharedWithAll: bool(`clients.${id}.shared_with_all`, props.shared_with_all, false),
      person: props.person === undefined ? null : String(props.person),
    };
  });
}

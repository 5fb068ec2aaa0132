/**
 * An insurance claim as an ASC X12 837P file (005010X222A1, professional claims): the
 * interchange (ISA/IEA), one functional group (GS/GE), one transaction set (ST/SE) with
 * the submitter and receiver, the billing provider (2000A), the subscriber who is the
 * patient (2000B), the claim (2300) with its rendering provider (2310B) and one service
 * line (2400). A small writer of our own: the segments are few and fixed, and the
 * libraries for X12 mostly parse it; test/server/x12-837p.test.ts checks the structure
 * (segment order, the SE segment count, the control numbers, ISA's fixed widths).
 *
 * Separators: `*` between elements, `:` between components, `~` after each segment.
 */

export interface Party {
  /** An organization's name, or a person's last name. */
  readonly name: string;
  readonly first?: string;
  /** NPI (qualifier XX) for providers; the member or payer id otherwise. */
  readonly id: string;
}

export interface Claim837 {
  /** The claim's id: the patient control number (CLM01) and the transaction's reference (BHT03). */
  readonly claimId: string;
  /** 1 to 999,999,999: the interchange and group control numbers. */
  readonly control: number;
  readonly createdAt: Date;
  readonly sender: { readonly id: string; readonly name: string; readonly phone: string };
  readonly receiver: { readonly id: string; readonly name: string };
  readonly billing: Party & { readonly taxId: string; readonly address: { readonly line: string; readonly city: string; readonly state: string; readonly zip: string } };
  readonly subscriber: Party;
  readonly payer: Party;
  readonly rendering: Party;
  /** ICD-10-CM codes, the principal first (HI: ABK, then ABF). */
  readonly diagnoses: readonly string[];
  /** The service: a CPT/HCPCS code, its charge, the date of service, the place of service (11: office). */
  readonly service: { readonly procedure: string; readonly charge: number; readonly date: Date; readonly place: string };
  /** `T` test, `P` production (ISA15). */
  readonly usage: 'T' | 'P';
}

/** A value as an X12 element: the separators and line breaks are not allowed in data. */
function el(value: string): string {
  return value.replace(/[*:~^\r\n]/g, ' ').trim().toUpperCase();
}

const pad = (value: string, width: number) => el(value).slice(0, width).padEnd(width, ' ');
const two = (n: number) => String(n).padStart(2, '0');
const ccyymmdd = (d: Date) => `${d.getUTCFullYear()}${two(d.getUTCMonth() + 1)}${two(d.getUTCDate())}`;
const hhmm = (d: Date) => `${two(d.getUTCHours())}${two(d.getUTCMinutes())}`;
const amount = (n: number) => (Math.round(n * 100) / 100).toFixed(2).replace(/\.00$/, '');

function person(code: string, p: Party, qualifier: string): string[] {
  return [code, p.first === undefined ? '2' : '1', el(p.name), el(p.first ?? ''), '', '', '', qualifier, el(p.id)];
}

/** The transaction set's segments, ST to SE exclusive. */
function body(c: Claim837): string[][] {
  const date = ccyymmdd(c.createdAt);
  const b = c.billing;
  return [
    ['BHT', '0019', '00', el(c.claimId), date, hhmm(c.createdAt), 'CH'],
    ['NM1', '41', '2', el(c.sender.name), '', '', '', '', '46', el(c.sender.id)],
    ['PER', 'IC', el(c.sender.name), 'TE', el(c.sender.phone)],
    ['NM1', '40', '2', el(c.receiver.name), '', '', '', '', '46', el(c.receiver.id)],
    ['HL', '1', '', '20', '1'],
    ['NM1', '85', '2', el(b.name), '', '', '', '', 'XX', el(b.id)],
    ['N3', el(b.address.line)],
    ['N4', el(b.address.city), el(b.address.state), el(b.address.zip)],
    ['REF', 'EI', el(b.taxId)],
    ['HL', '2', '1', '22', '0'],
    ['SBR', 'P', '18', '', '', '', '', '', '', 'CI'],
    ['NM1', ...person('IL', c.subscriber, 'MI')],
    ['NM1', 'PR', '2', el(c.payer.name), '', '', '', '', 'PI', el(c.payer.id)],
    ['CLM', el(c.claimId), amount(c.service.charge), '', '', `${el(c.service.place)}:B:1`, 'Y', 'A', 'Y', 'Y'],
    ['HI', ...c.diagnoses.map((d, i) => `${i === 0 ? 'ABK' : 'ABF'}:${el(d).replace('.', '')}`)],
    ['NM1', ...person('82', c.rendering, 'XX')],
    ['LX', '1'],
    ['SV1', `HC:${el(c.service.procedure)}`, amount(c.service.charge), 'UN', '1', '', '', '1'],
    ['DTP', '472', 'D8', ccyymmdd(c.service.date)],
  ];
}

/**
 * The 837P file of one claim.
 *
 * @example
 * const file = write837p(claim); // "ISA*00*          *00*...~GS*HC*...~ST*837*0001*005010X222A1~...~IEA*1*000000001~"
 */
export function write837p(c: Claim837): string {
  if (!Number.isInteger(c.control) || c.control < 1 || c.control > 999_999_999) throw new RangeError('control: 1 to 999999999');
  if (c.diagnoses.length < 1 || c.diagnoses.length > 12) throw new RangeError('diagnoses: 1 to 12');
  const control = String(c.control).padStart(9, '0');
  const date = c.createdAt;
  const isa = [
    'ISA', '00', pad('', 10), '00', pad('', 10),
    'ZZ', pad(c.sender.id, 15), 'ZZ', pad(c.receiver.id, 15),
    ccyymmdd(date).slice(2), hhmm(date), '^', '00501', control, '0', c.usage, ':',
  ];
  const st = ['ST', '837', '0001', '005010X222A1'];
  const set = [st, ...body(c)];
  const segments = [
    isa,
    ['GS', 'HC', el(c.sender.id), el(c.receiver.id), ccyymmdd(date), hhmm(date), String(c.control), 'X', '005010X222A1'],
    ...set,
    // SE01: the segments from ST to SE, both included.
    ['SE', String(set.length + 1), '0001'],
    ['GE', '1', String(c.control)],
    ['IEA', '1', control],
  ];
  return segments.map((s) => `${s.join('*')}~`).join('\n') + '\n';
}

/** The 837P writer: the structure a clearinghouse checks first (envelopes, counts, control numbers, widths, order). */
import { describe, expect, it } from 'vitest';
import { write837p, type Claim837 } from '../../src/server/x12/837p.js';
import { segments, structureProblems } from '../support/x12.js';

const CLAIM: Claim837 = {
  claimId: 'K1',
  control: 42,
  createdAt: new Date(Date.UTC(2026, 2, 3, 14, 5)),
  sender: { id: 'CHARTGUARD', name: 'Riverside Counseling', phone: '5550101100' },
  receiver: { id: 'CLEARINGHOUSE', name: 'Clearinghouse' },
  billing: { name: 'Riverside Counseling', id: '1234567893', taxId: '123456789', address: { line: '1 Main St', city: 'Springfield', state: 'IL', zip: '62701' } },
  subscriber: { name: 'Lindqvist', first: 'Avery', id: 'M123' },
  payer: { name: 'Acme Health', id: '60054' },
  rendering: { name: 'Silva', first: 'Sam', id: '1999999984' },
  diagnoses: ['F32.9', 'F41.1'],
  service: { procedure: '90837', charge: 150, date: new Date(Date.UTC(2026, 2, 2, 15)), place: '11' },
  usage: 'T',
};

describe('837P writer', () => {
  it('writes a file whose envelopes, counts and skeleton hold', () => {
    const file = write837p(CLAIM);
    expect(structureProblems(file)).toEqual([]);
    const segs = segments(file);
    expect(segs[0]![13]).toBe('000000042');
    expect(segs.find((s) => s[0] === 'NM1' && s[1] === '82')).toEqual(['NM1', '82', '1', 'SILVA', 'SAM', '', '', '', 'XX', '1999999984']);
    expect(segs.find((s) => s[0] === 'HI')).toEqual(['HI', 'ABK:F329', 'ABF:F411']);
    expect(segs.find((s) => s[0] === 'DTP')).toEqual(['DTP', '472', 'D8', '20260302']);
  });

  it('keeps separators out of the data and ISA at its fixed width', () => {
    const file = write837p({ ...CLAIM, sender: { ...CLAIM.sender, id: 'A*VERY~LONG:SENDER^ID' }, subscriber: { name: 'O*Brien~', first: 'Pat:', id: 'X' } });
    expect(structureProblems(file)).toEqual([]);
    expect(segments(file).find((s) => s[0] === 'NM1' && s[1] === 'IL')!.slice(0, 5)).toEqual(['NM1', 'IL', '1', 'O BRIEN', 'PAT']);
  });

  it('finds a broken file broken (the check can fail)', () => {
    const file = write837p(CLAIM);
    expect(structureProblems(file.replace(/\nSE\*\d+\*/, '\nSE*3*'))).toContainEqual(expect.stringMatching(/^SE01 3, but \d+ segments from ST to SE$/));
    expect(structureProblems(file.replace('GE*1*42', 'GE*1*43'))).toContain('GE02 must equal GS06');
    expect(structureProblems(file.replace(/LX\*1~\n/, ''))).not.toEqual([]);
  });

  it('refuses what it cannot write', () => {
    expect(() => write837p({ ...CLAIM, control: 0 })).toThrow(RangeError);
    expect(() => write837p({ ...CLAIM, diagnoses: [] })).toThrow(RangeError);
  });
});

/** Checking an X12 837P file's structure, for the writer's tests and the HTTP export's. */

/** The file's segments, each a list of elements (segment id first). */
export function segments(file: string): string[][] {
  return file.split('~').map((s) => s.trim()).filter((s) => s !== '').map((s) => s.split('*'));
}

/** Every structural rule of the envelopes and the 837P's skeleton this writer must keep; the problems found. */
export function structureProblems(file: string): string[] {
  const problems: string[] = [];
  const segs = segments(file);
  const ids = segs.map((s) => s[0]);
  const isaText = file.slice(0, file.indexOf('~') + 1);
  if (isaText.length !== 106) problems.push(`ISA is ${isaText.length} characters, not 106`);
  const isa = segs[0]!;
  const iea = segs[segs.length - 1]!;
  if (isa[0] !== 'ISA' || isa.length !== 17) problems.push('ISA: 16 elements first');
  if (iea[0] !== 'IEA' || iea[2] !== isa[13]) problems.push('IEA02 must equal ISA13');
  const groups = segs.filter((s) => s[0] === 'GS');
  if (iea[1] !== String(groups.length)) problems.push('IEA01 must count the groups');
  const gs = segs[1]!;
  const ge = segs[segs.length - 2]!;
  if (gs[0] !== 'GS' || ge[0] !== 'GE' || ge[2] !== gs[6]) problems.push('GE02 must equal GS06');
  if (gs[8] !== '005010X222A1') problems.push('GS08 must name 005010X222A1');
  const sets = segs.filter((s) => s[0] === 'ST');
  if (ge[1] !== String(sets.length)) problems.push('GE01 must count the transaction sets');
  const st = ids.indexOf('ST');
  const se = ids.indexOf('SE');
  if (st < 0 || se < st) problems.push('ST before SE');
  else {
    if (segs[se]![1] !== String(se - st + 1)) problems.push(`SE01 ${segs[se]![1]}, but ${se - st + 1} segments from ST to SE`);
    if (segs[se]![2] !== segs[st]![2]) problems.push('SE02 must equal ST02');
  }
  const skeleton = ['ISA', 'GS', 'ST', 'BHT', 'NM1', 'PER', 'NM1', 'HL', 'NM1', 'N3', 'N4', 'REF', 'HL', 'SBR', 'NM1', 'NM1', 'CLM', 'HI', 'NM1', 'LX', 'SV1', 'DTP', 'SE', 'GE', 'IEA'];
  if (ids.join() !== skeleton.join()) problems.push(`segments ${ids.join()}`);
  const clm = segs.find((s) => s[0] === 'CLM');
  const lines = segs.filter((s) => s[0] === 'SV1').reduce((sum, s) => sum + Number(s[2]), 0);
  if (!clm || Math.abs(Number(clm[2]) - lines) > 0.005) problems.push('CLM02 must equal the sum of the service lines');
  for (const s of segs) if (s.length > 1 && s[s.length - 1] === '' && s[0] !== 'ISA') problems.push(`${s[0]} ends with an empty element`);
  return problems;
}

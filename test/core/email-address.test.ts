/** What counts as an email address (the setup page, `practice create`, invitations). */
import { describe, expect, it } from 'vitest';
import { EMAIL_MAX, isEmailAddress } from '../../src/core/email-address.js';

describe('isEmailAddress', () => {
  it('takes ordinary addresses, subdomains, plus tags and non-Latin names', () => {
    for (const a of ['olivia@riverside.example', 'o.owens+chartguard@mail.riverside.example', 'zoë@ørsted.example', '名前@例え.テスト']) expect(isEmailAddress(a), a).toBe(true);
  });

  it('refuses what is surely a typo: no @, two @, no dot in the domain, spaces, an empty part, control characters, too long', () => {
    const local64 = 'a'.repeat(64);
    expect(isEmailAddress(`${local64}@x.example`)).toBe(true);
    for (const a of [
      'olivia',
      'olivia@',
      '@riverside.example',
      'olivia@localhost',
      'olivia@@riverside.example',
      'oli via@riverside.example',
      'olivia@riverside.example ',
      'olivia@riverside..example',
      'olivia@.example',
      'olivia@riverside.e',
      'olivia\n@riverside.example',
      `${local64}a@x.example`,
      `o@${'d'.repeat(EMAIL_MAX)}.example`,
    ]) {
      expect(isEmailAddress(a), JSON.stringify(a)).toBe(false);
    }
  });
});

import { describe, expect, it } from 'vitest';
import { match } from './router.js';

describe('match', () => {
  it('reads parameters and refuses other shapes', () => {
    expect(match('/clients/:id/:tab', '/clients/c%201/privacy')).toEqual({ id: 'c 1', tab: 'privacy' });
    expect(match('/clients/:id', '/clients/c1/privacy')).toBeNull();
    expect(match('/notes/:id', '/clients/n1')).toBeNull();
  });
});

import { describe, expect, it } from 'vitest';
import { G, L } from '../../crypto/index.ts';

describe('group', () => {
  it('has the RFC 9496 order', () => {
    expect(L).toBe(2n ** 252n + 27742317777372353535851937790883648493n);
    expect(G.multiply(L - 1n).add(G).is0()).toBe(true);
  });
});

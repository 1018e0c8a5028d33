import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { nm01, perThousand, type Nm01Case } from './measures.ts';

describe('perThousand', () => {
  test('per 1,000 homes to 2 decimal places', () => {
    assert.equal(perThousand(3, 1000), 3);
    assert.equal(perThousand(1, 3), 333.33);
    assert.equal(perThousand(2, 3), 666.67);
    assert.equal(perThousand(0, 100), 0);
    assert.equal(perThousand(37, 12_345), 3);
  });

  test('rounds halves up, exactly (201 in 200,000 is 1.005: floating point would give 1.00)', () => {
    assert.equal(perThousand(201, 200_000), 1.01);
    assert.equal(perThousand(1, 8000), 0.13);
    assert.equal(perThousand(1, 80_000), 0.01);
    assert.equal(perThousand(1, 200_001), 0);
  });

  test('is within half a hundredth of the exact rate, and a whole number of hundredths (random cases)', () => {
    let seed = 42;
    const next = (n: number) => { seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648; return seed % n; };
    for (let i = 0; i < 500; i++) {
      const homes = 1 + next(200_000);
      const count = next(5_000);
      const rate = perThousand(count, homes);
      assert.ok(Math.abs(rate - (count * 1000) / homes) <= 0.005 + 1e-9, `${count} / ${homes} → ${rate}`);
      assert.equal(Math.round(rate * 100) / 100, rate);
    }
  });

  test('refuses no homes, or counts that are not whole numbers', () => {
    assert.throws(() => perThousand(1, 0), /number of homes/);
    assert.throws(() => perThousand(1, 10.5), /number of homes/);
    assert.throws(() => perThousand(-1, 10), /count/);
  });
});

describe('nm01', () => {
  const cases: Nm01Case[] = [
    { id: 'first-day', openedOn: '2025-04-01', hate: false },
    { id: 'last-day', openedOn: '2026-03-31', hate: true },
    { id: 'middle', openedOn: '2025-10-10', hate: false },
    { id: 'middle', openedOn: '2025-10-10', hate: false }, // given twice: one case
    { id: 'hate', openedOn: '2025-12-01', hate: true },
    { id: 'year-before', openedOn: '2025-03-31', hate: true },
    { id: 'year-after', openedOn: '2026-04-01', hate: false },
  ];

  test('counts the cases opened from 1 April to 31 March, each once, hate cases within them', () => {
    const r = nm01({ year: 2025, homes: 2500, cases });
    assert.deepEqual(r, {
      from: '2025-04-01', to: '2026-03-31', homes: 2500, cases: 4, hateCases: 2,
      casesPer1000: 1.6, hateCasesPer1000: 0.8, outsideYear: 2,
    });
  });

  test('a year with no cases is zero, not an error', () => {
    const r = nm01({ year: 2027, homes: 900, cases });
    assert.equal(r.cases, 0);
    assert.equal(r.casesPer1000, 0);
    assert.equal(r.outsideYear, 6);
  });

  test('refuses no homes', () => {
    assert.throws(() => nm01({ year: 2025, homes: 0, cases }), /number of homes/);
  });
});

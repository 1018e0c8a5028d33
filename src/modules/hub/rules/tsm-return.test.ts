import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  marginOfError, percentage, requiredPrecision, roundedRatio, tsmReturn, tsmReturnCsv, TSM_CSV_COLUMNS, type TsmReturnInput,
} from './tsm-return.ts';

describe('percentage and rates', () => {
  test('to 1 decimal place, halves up, exactly', () => {
    assert.equal(percentage(2, 3), 66.7);
    assert.equal(percentage(1, 3), 33.3);
    assert.equal(percentage(1, 8), 12.5);
    assert.equal(percentage(1, 16), 6.3); // 6.25
    // 23 of 80 is 28.75%: 28.8. In floating point, Math.round(23 / 80 * 100 * 10) / 10 and (23 / 80 * 100).toFixed(1) give 28.7.
    assert.equal(percentage(23, 80), 28.8);
    assert.equal(percentage(41, 80), 51.3);
    assert.equal(percentage(0, 7), 0);
    assert.equal(percentage(7, 7), 100);
  });

  test('per 1,000 homes to 2 decimal places, halves up (201 in 200,000 is 1.005 → 1.01)', () => {
    assert.equal(roundedRatio(201, 200_000, 1000, 2), 1.01);
    assert.equal(roundedRatio(55, 1000, 1000, 2), 55);
    assert.equal(roundedRatio(1, 3, 1000, 2), 333.33);
  });

  test('within half a unit of the exact value, and a whole number of tenths (many cases)', () => {
    for (let den = 1; den <= 400; den += 7) {
      for (let num = 0; num <= den; num += 3) {
        const p = percentage(num, den)!;
        assert.ok(Math.abs(p - (num * 100) / den) <= 0.05 + 1e-9, `${num}/${den} → ${p}`);
        assert.equal(Math.round(p * 10) / 10, p);
        // Halves up: exactly half-way goes up, checked in whole numbers (20 × num × 100 vs (2k + 1) × den).
        const tenths = Math.round(p * 10);
        assert.ok(2000 * num >= (2 * tenths - 1) * den && 2000 * num < (2 * tenths + 1) * den, `${num}/${den} → ${p}`);
      }
    }
  });

  test('nothing out of nothing is null, not 0', () => {
    assert.equal(percentage(0, 0), null);
  });
});

describe('precision', () => {
  test('margin of error at 95% confidence, worst case, with the finite population correction', () => {
    assert.equal(marginOfError(400, 10_000), 4.8); // 1.96 × 0.025 × √(9,600 / 9,999)
    assert.equal(marginOfError(1_128, 18_800), 2.8); // a large LCRA survey (±2.8% published)
    assert.equal(marginOfError(536, 2_436), 3.7); // a small LCHO survey (±3.7% published)
    assert.equal(marginOfError(554, 7_271), 4); // the minimum sample quoted for ±4% at 7,271 homes
    assert.equal(marginOfError(553, 7_271), 4); // 4.0 still
    assert.equal(marginOfError(540, 7_271), 4.1);
    assert.equal(marginOfError(100, 100), 0); // a census
    assert.equal(marginOfError(1, 1), 0);
  });

  test('without the correction a large population tends to 1.96 × √(0.25 / n)', () => {
    assert.equal(marginOfError(1_067, 10_000_000), 3);
    assert.equal(marginOfError(385, 10_000_000), 5);
  });

  test('the required precision steps at 2,500 and 10,000 homes', () => {
    assert.deepEqual([1, 2_499, 2_500, 9_999, 10_000, 250_000].map(requiredPrecision), [5, 5, 4, 4, 3, 3]);
  });

  test('refuses a sample larger than the homes, or none', () => {
    assert.throws(() => marginOfError(11, 10), /more than the 10 homes/);
    assert.throws(() => marginOfError(0, 10), /sample size/);
  });
});

const input = (): TsmReturnInput => ({
  landlord: 'Riverside Homes (demo)',
  registrationNumber: 'L0001',
  period: '2025/26',
  groups: [
    {
      tenure: 'LCHO', homes: 1_200, survey: { methods: ['online'], sampleSize: 250 },
      perception: { TP01: { satisfied: 101, notSatisfied: 99, excluded: 3 } },
    },
    {
      tenure: 'LCRA', homes: 10_000, survey: { methods: ['telephone', 'online'], sampleSize: 400 },
      perception: {
        TP01: { satisfied: 300, notSatisfied: 100 },
        TP02: { satisfied: 150, notSatisfied: 50, excluded: 20 },
        TP12: { satisfied: 0, notSatisfied: 0, excluded: 40 },
      },
    },
  ],
  management: [
    { code: 'NM01(1)', tenure: 'LCRA and LCHO', numerator: 201, denominator: 200_000 },
    { code: 'RP02(1)', tenure: 'LCRA', numerator: 999, denominator: 1_000 },
    { code: 'BS05', tenure: 'LCRA and LCHO', numerator: 0, denominator: 0 },
    { code: 'CH02(1)', tenure: 'LCRA and LCHO', numerator: 2, denominator: 3 },
  ],
});

describe('tsmReturn', () => {
  test('LCRA and LCHO are kept apart, each with its own survey, LCRA first', () => {
    const r = tsmReturn(input());
    assert.deepEqual(r.groups.map((g) => g.tenure), ['LCRA', 'LCHO']);
    const [lcra, lcho] = r.groups;
    assert.equal(lcra!.measures.find((m) => m.code === 'TP01')!.value, 75);
    assert.equal(lcho!.measures.find((m) => m.code === 'TP01')!.value, 50.5);
    assert.deepEqual([lcra!.sampleSize, lcra!.methods], [400, ['telephone', 'online']]);
    assert.deepEqual([lcho!.sampleSize, lcho!.methods], [250, ['online']]);
    assert.deepEqual(lcra!.measures.map((m) => m.code), ['TP01', 'TP02', 'TP03', 'TP04', 'TP05', 'TP06', 'TP07', 'TP08', 'TP09', 'TP10', 'TP11', 'TP12']);
  });

  test("answers of \"don't know\" or \"not applicable\" are left out of the denominator", () => {
    const tp02 = tsmReturn(input()).groups[0]!.measures.find((m) => m.code === 'TP02')!;
    assert.deepEqual(tp02, { code: 'TP02', satisfied: 150, responses: 200, excluded: 20, value: 75 });
  });

  test('a measure with no valid answers is null, not 0; so is one not asked', () => {
    const lcra = tsmReturn(input()).groups[0]!;
    assert.equal(lcra.measures.find((m) => m.code === 'TP12')!.value, null);
    assert.equal(lcra.measures.find((m) => m.code === 'TP05')!.value, null);
    assert.equal(lcra.measures.find((m) => m.code === 'TP05')!.responses, 0);
  });

  test('each survey states its precision and whether it meets what the regulator asks', () => {
    const [lcra, lcho] = tsmReturn(input()).groups;
    // 400 of 10,000 LCRA homes: ±4.8%, but 10,000 homes need ±3%.
    assert.deepEqual([lcra!.precision, lcra!.requiredPrecision, lcra!.precisionMet], [4.8, 3, false]);
    // 250 of 1,200 LCHO homes: ±5.5%, under 2,500 homes need ±5%.
    assert.deepEqual([lcho!.precision, lcho!.requiredPrecision, lcho!.precisionMet], [5.5, 5, false]);
    const enough = input();
    enough.groups = [{ tenure: 'LCHO', homes: 1_200, survey: { methods: ['postal'], sampleSize: 300 }, perception: {} }];
    assert.deepEqual(tsmReturn(enough).groups[0]!.precision, 4.9);
    assert.equal(tsmReturn(enough).groups[0]!.precisionMet, true);
  });

  test('a group not surveyed has no precision and does not meet the requirement', () => {
    const none = input();
    none.groups = [{ tenure: 'LCHO', homes: 800, survey: { methods: [], sampleSize: 0 }, perception: {} }];
    const g = tsmReturn(none).groups[0]!;
    assert.deepEqual([g.precision, g.precisionMet], [null, false]);
    assert.ok(g.measures.every((m) => m.value === null));
  });

  test('management measures pass through with their proportion or rate per 1,000 homes', () => {
    const m = tsmReturn(input()).management;
    assert.deepEqual(m.map((x) => [x.code, x.tenure, x.value, x.unit]), [
      ['RP02(1)', 'LCRA', 99.9, '%'],
      ['BS05', 'LCRA and LCHO', null, '%'], // no lifts: null, not 0
      ['CH02(1)', 'LCRA and LCHO', 66.7, '%'],
      ['NM01(1)', 'LCRA and LCHO', 1.01, 'per 1,000 homes'],
    ]);
  });

  test('bad input is refused, naming the field', () => {
    const bad = (change: (i: TsmReturnInput) => void, message: RegExp) => {
      const i = input();
      change(i);
      assert.throws(() => tsmReturn(i), message);
    };
    bad((i) => { i.period = '2025/27'; }, /period: a reporting year such as 2025\/26/);
    bad((i) => { i.registrationNumber = ' '; }, /registrationNumber: required/);
    bad((i) => { i.groups = [i.groups[1]!, i.groups[1]!]; }, /groups\[1\]\.tenure: LCRA is given twice/);
    bad((i) => { (i.groups[1]!.perception.TP01 as { satisfied: number }).satisfied = -1; }, /groups\[1\]\.perception\.TP01\.satisfied: must be a whole number/);
    bad((i) => { i.groups[0]!.perception.TP01 = { satisfied: 200, notSatisfied: 51 }; }, /groups\[0\]\.perception\.TP01: 251 answers is more than the 250 surveys/);
    bad((i) => { i.groups[0]!.survey = { methods: ['online'], sampleSize: 1_201 }; }, /groups\[0\]\.survey\.sampleSize: 1201 surveys is more than the 1200 homes/);
    bad((i) => { i.groups[0]!.survey = { methods: ['carrier pigeon' as 'online'], sampleSize: 10 }; }, /groups\[0\]\.survey\.methods\[0\]/);
    bad((i) => { (i.groups[0]!.perception as Record<string, unknown>).TP13 = { satisfied: 1, notSatisfied: 1 }; }, /groups\[0\]\.perception\.TP13: not a perception measure/);
    bad((i) => { i.management = [{ code: 'RP01', tenure: 'LCRA', numerator: 5, denominator: 4 }]; }, /management\[0\]\.numerator: 5 is more than the denominator/);
    bad((i) => { i.management = [{ code: 'CH01(1)', tenure: 'LCRA and LCHO', numerator: 5, denominator: 0 }]; }, /management\[0\]\.denominator: a rate per 1,000 homes/);
    bad((i) => { i.management = [{ code: 'RP01', tenure: 'LCRA', numerator: 1, denominator: 4 }, { code: 'RP01', tenure: 'LCRA', numerator: 1, denominator: 4 }]; }, /management\[1\]: RP01 for LCRA is given twice/);
  });
});

describe('tsmReturnCsv', () => {
  const parse = (csv: string) => csv.replace(/^\uFEFF/, '').split('\r\n').filter(Boolean);

  test('one row per measure per tenure group, with the columns the brief names', () => {
    const lines = parse(tsmReturnCsv([tsmReturn(input())]));
    assert.equal(lines[0], TSM_CSV_COLUMNS.join(','));
    assert.equal(lines[0], 'landlord,registration number,period,tenure group,measure code,numerator,denominator,value,unit,responses,method,sample size,precision,precision met');
    assert.equal(lines.length, 1 + 12 + 12 + 4);
    assert.ok(lines.includes('Riverside Homes (demo),L0001,2025/26,LCRA,TP01,300,400,75,%,400,telephone and online,400,4.8,no'));
    assert.ok(lines.includes('Riverside Homes (demo),L0001,2025/26,LCRA,TP02,150,200,75,%,200,telephone and online,400,4.8,no'));
    assert.ok(lines.includes('Riverside Homes (demo),L0001,2025/26,LCHO,TP01,101,200,50.5,%,200,online,250,5.5,no'));
    // No answers: an empty value, not 0.
    assert.ok(lines.includes('Riverside Homes (demo),L0001,2025/26,LCRA,TP12,0,0,,%,0,telephone and online,400,4.8,no'));
    assert.ok(lines.includes('Riverside Homes (demo),L0001,2025/26,LCRA and LCHO,NM01(1),201,200000,1.01,"per 1,000 homes",,,,,'));
    for (const line of lines.slice(1)) assert.ok(line.startsWith('Riverside Homes (demo),L0001,2025/26,'));
  });

  test('cells that would start a spreadsheet formula are neutralised', () => {
    const evil = input();
    evil.landlord = '=HYPERLINK("http://example.com","x")';
    evil.registrationNumber = '@SUM(1+1)';
    const lines = parse(tsmReturnCsv([tsmReturn(evil)]));
    assert.ok(lines[1]!.startsWith(`"'=HYPERLINK(""http://example.com"",""x"")",'@SUM(1+1),2025/26,`), lines[1]);
    assert.ok(lines.slice(1).every((l) => !/^[=+\-@]/.test(l)));
  });

  test('several landlords in one file, and a byte order mark for Excel', () => {
    const second = { ...input(), landlord: 'Hillside Housing', registrationNumber: 'L0002' };
    const csv = tsmReturnCsv([tsmReturn(input()), tsmReturn(second)]);
    assert.ok(csv.startsWith('\uFEFFlandlord,'));
    assert.equal(parse(csv).filter((l) => l.startsWith('Hillside Housing,L0002,')).length, 28);
  });
});

import { describe, expect, it } from 'vitest';
import { budgetMib, DEFAULT_BUDGET_BYTES, parseBudgetMib } from '../src/run/budget-setting';

describe('the storage budget typed in MiB', () => {
  it('takes whole and decimal MiB, as bytes', () => {
    expect(parseBudgetMib('500')).toEqual({ ok: true, value: DEFAULT_BUDGET_BYTES });
    expect(parseBudgetMib(' 0.01 ')).toEqual({ ok: true, value: 10486 });
    expect(parseBudgetMib('2048')).toEqual({ ok: true, value: 2 * 1024 ** 3 });
  });

  it('refuses what is not a size above a byte, saying what to type', () => {
    for (const bad of ['', 'lots', '-5', '0', 'Infinity', 'NaN']) {
      const parsed = parseBudgetMib(bad);
      expect(parsed.ok, bad).toBe(false);
      if (!parsed.ok) expect(parsed.error).toMatch(/is not a size: type the MiB|less than a byte/);
    }
    expect(parseBudgetMib('0.0000001')).toEqual({ ok: false, error: 'That is less than a byte: type at least 0.001 MiB.' });
  });

  it('shows a budget as the MiB that give it back', () => {
    for (const mib of ['500', '0.01', '1.5', '0.001']) {
      const parsed = parseBudgetMib(mib);
      expect(parsed.ok && budgetMib(parsed.value)).toBe(mib);
    }
  });
});

/**
 * EventBridge's matching rules for the subset of pattern syntax the foundations use: exact values (a list means
 * any of them), `numeric` ranges, nested objects, and array-valued event fields (matched if any element matches).
 * A field the pattern names but the event lacks never matches. Enough to check a rule against a sample event.
 */
type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function matchesValue(condition: Json, value: Json): boolean {
  if (condition !== null && typeof condition === 'object' && !Array.isArray(condition)) {
    const numeric = (condition as { numeric?: Json[] }).numeric;
    if (numeric) {
      if (typeof value !== 'number') return false;
      for (let i = 0; i < numeric.length; i += 2) {
        const [op, bound] = [numeric[i] as string, numeric[i + 1] as number];
        const ok = {
          '>': value > bound,
          '>=': value >= bound,
          '<': value < bound,
          '<=': value <= bound,
          '=': value === bound,
        }[op];
        if (!ok) return false;
      }
      return true;
    }
    throw new Error(`unsupported pattern operator ${JSON.stringify(condition)}`);
  }
  return condition === value;
}

export function matches(pattern: Record<string, Json>, event: Record<string, Json>): boolean {
  return Object.entries(pattern).every(([key, condition]) => {
    if (!(key in event)) return false;
    const value = event[key] as Json;
    if (Array.isArray(condition)) {
      const values = Array.isArray(value) ? value : [value];
      return values.some((v) => condition.some((c) => matchesValue(c, v)));
    }
    if (condition !== null && typeof condition === 'object') {
      const nested = Array.isArray(value) ? value : [value];
      return nested.some(
        (v) =>
          v !== null && typeof v === 'object' && !Array.isArray(v) && matches(condition as Record<string, Json>, v),
      );
    }
    throw new Error(`pattern field ${key} must be a list or an object`);
  });
}

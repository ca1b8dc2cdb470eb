/** Number formatting shared by the report writers: dollars to the cent, quantities without noise. */
export function usd(value: number): string {
  const sign = value < 0 ? '-' : '';
  return `${sign}$${Math.abs(value).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

export function signedUsd(value: number): string {
  return value > 0 ? `+${usd(value)}` : usd(value);
}

export function quantity(value: number): string {
  return Number.isInteger(value)
    ? value.toLocaleString('en-US')
    : value.toLocaleString('en-US', { maximumFractionDigits: 3 });
}

/** Rounds to the cent for JSON output, so reports do not carry floating-point noise. */
export function cents(value: number): number {
  return Math.round(value * 100) / 100;
}

/** A unit price: as many decimals as it has, up to 5 (e.g. $0.045, $0.0336). */
export function rate(value: number): string {
  return `$${value.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 5 })}`;
}

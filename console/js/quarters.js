// Quarters ("terms"), written N/YYYY as everywhere in the registry (R-CAL-1).

export function parseQuarter(text) {
  const match = /^\s*([1-4])\/(\d{4})\s*$/.exec(text || '');
  return match ? { n: Number(match[1]), year: Number(match[2]) } : null;
}

export const quarterText = (q) => `${q.n}/${q.year}`;

export function addQuarters(q, count) {
  const index = q.year * 4 + (q.n - 1) + count;
  return { n: (index % 4) + 1, year: Math.floor(index / 4) };
}

export const compareQuarters = (a, b) => (a.year * 4 + a.n) - (b.year * 4 + b.n);

/** The last day of the quarter, as an ISO date (a closure runs until then, R-CAL-3). */
export function lastDay(q) {
  return new Date(Date.UTC(q.year, q.n * 3, 0)).toISOString().slice(0, 10);
}

export function quarterOf(isoDate) {
  const [year, month] = isoDate.split('-').map(Number);
  return { n: Math.floor((month - 1) / 3) + 1, year };
}

// chart.ts — a dependency-free SVG line chart on log-log axes (x: fan-out, y: ns), one
// line per series with min–max whiskers.

export interface Point { x: number; y: number; lo?: number; hi?: number }
export interface Series { name: string; points: Point[] }
export interface ChartOptions { title: string; xLabel: string; yLabel: string; width?: number; height?: number }

const COLORS = ['#d62728', '#7f7f7f', '#1f77b4', '#ff7f0e', '#2ca02c', '#9467bd', '#8c564b'];

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Powers of ten (and 2×, 5×) covering [lo, hi], for log-axis ticks. */
export function logTicks(lo: number, hi: number): number[] {
  const ticks: number[] = [];
  for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) {
    for (const m of [1, 2, 5]) {
      const v = m * 10 ** e;
      if (v >= lo * 0.999 && v <= hi * 1.001) ticks.push(v);
    }
  }
  return ticks;
}

export function renderChart(series: Series[], o: ChartOptions): string {
  const W = o.width ?? 760, H = o.height ?? 440;
  const L = 70, R = 290, T = 40, B = 55;
  const pts = series.flatMap((s) => s.points).filter((p) => p.y > 0);
  if (!pts.length) return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="80"><text x="10" y="40">no data</text></svg>\n`;
  const xs = pts.map((p) => p.x), ys = pts.flatMap((p) => [p.y, p.lo ?? p.y, p.hi ?? p.y]).filter((y) => y > 0);
  const x0 = Math.min(...xs), x1 = Math.max(...xs) * (Math.max(...xs) === Math.min(...xs) ? 2 : 1);
  const y0 = 10 ** Math.floor(Math.log10(Math.min(...ys))), y1 = 10 ** Math.ceil(Math.log10(Math.max(...ys)));
  const px = (x: number) => L + ((Math.log2(x) - Math.log2(x0)) / (Math.log2(x1) - Math.log2(x0))) * (W - L - R);
  const py = (y: number) => H - B - ((Math.log10(y) - Math.log10(y0)) / (Math.log10(y1) - Math.log10(y0))) * (H - T - B);
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="12">`);
  out.push(`<rect width="${W}" height="${H}" fill="white"/>`);
  out.push(`<text x="${W / 2 - R / 2}" y="22" text-anchor="middle" font-size="14">${esc(o.title)}</text>`);
  for (const t of logTicks(y0, y1)) {
    out.push(`<line x1="${L}" x2="${W - R}" y1="${py(t).toFixed(1)}" y2="${py(t).toFixed(1)}" stroke="#e5e5e5"/>`);
    out.push(`<text x="${L - 6}" y="${(py(t) + 4).toFixed(1)}" text-anchor="end">${t}</text>`);
  }
  for (const x of [...new Set(xs)].sort((a, b) => a - b)) {
    out.push(`<line x1="${px(x).toFixed(1)}" x2="${px(x).toFixed(1)}" y1="${T}" y2="${H - B}" stroke="#f0f0f0"/>`);
    out.push(`<text x="${px(x).toFixed(1)}" y="${H - B + 16}" text-anchor="middle">${x}</text>`);
  }
  out.push(`<rect x="${L}" y="${T}" width="${W - L - R}" height="${H - T - B}" fill="none" stroke="#444"/>`);
  out.push(`<text x="${(L + W - R) / 2}" y="${H - 14}" text-anchor="middle">${esc(o.xLabel)}</text>`);
  out.push(`<text transform="translate(18 ${(T + H - B) / 2}) rotate(-90)" text-anchor="middle">${esc(o.yLabel)}</text>`);
  series.forEach((s, i) => {
    const c = COLORS[i % COLORS.length];
    const ps = s.points.filter((p) => p.y > 0);
    out.push(`<polyline fill="none" stroke="${c}" stroke-width="2" points="${ps.map((p) => `${px(p.x).toFixed(1)},${py(p.y).toFixed(1)}`).join(' ')}"/>`);
    for (const p of ps) {
      if (p.lo && p.hi) out.push(`<line x1="${px(p.x).toFixed(1)}" x2="${px(p.x).toFixed(1)}" y1="${py(p.lo).toFixed(1)}" y2="${py(p.hi).toFixed(1)}" stroke="${c}"/>`);
      out.push(`<circle cx="${px(p.x).toFixed(1)}" cy="${py(p.y).toFixed(1)}" r="3" fill="${c}"><title>${esc(s.name)} N=${p.x}: ${p.y.toFixed(1)} ns</title></circle>`);
    }
    const ly = T + 10 + i * 20;
    out.push(`<line x1="${W - R + 12}" x2="${W - R + 36}" y1="${ly}" y2="${ly}" stroke="${c}" stroke-width="2"/>`);
    out.push(`<text x="${W - R + 42}" y="${ly + 4}">${esc(s.name)}</text>`);
  });
  out.push('</svg>');
  return out.join('\n') + '\n';
}

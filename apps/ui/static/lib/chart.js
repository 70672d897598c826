// An SVG line chart (colours by class c0..c2 in style.css) of the overview series: rates per minute when the server has counters,
// else queue depths. No library: a few polylines, a grid and labels.
import { h, svg } from './dom.js';
import { duration } from './format.js';

const W = 800;
const H = 170;
const PAD = { left: 44, right: 12, top: 12, bottom: 24 };

const rateLines = [
  { field: 'added', label: 'Added' },
  { field: 'completed', label: 'Completed' },
  { field: 'failed', label: 'Failed' },
];
const depthLines = [
  { field: 'queued', label: 'Queued' },
  { field: 'inProgress', label: 'In progress' },
  { field: 'deadLettered', label: 'Dead-lettered' },
];

/** Returns [svg, legend] for `series` (points with t and the fields above). */
export function renderChart(series, rates) {
  const lines = rates ? rateLines : depthLines;
  const unit = rates ? 'per minute' : 'keys';
  const points = series.filter((p) => lines.some((l) => typeof p[l.field] === 'number'));
  const latest = points.at(-1);
  const summary = latest
    ? lines.map((l) => `${l.label} ${latest[l.field] ?? 0} ${unit}`).join(', ')
    : 'no samples yet';
  const chart = svg('svg', {
    viewBox: `0 0 ${W} ${H}`,
    class: 'chart',
    role: 'img',
    'aria-label': `${rates ? 'Rates' : 'Queue depth'} over time: ${summary}`,
  });
  if (points.length < 2) {
    chart.append(
      svg(
        'text',
        { x: W / 2, y: H / 2, 'text-anchor': 'middle', class: 'muted' },
        'Collecting samples…',
      ),
    );
  } else {
    draw(chart, points, lines);
  }
  const legend = h(
    'ul',
    { class: 'legend' },
    lines.map((l) =>
      h(
        'li',
        {},
        h('span', { class: `swatch c${lines.indexOf(l)}` }),
        `${l.label}: `,
        h('strong', {}, latest ? String(latest[l.field] ?? 0) : '–'),
      ),
    ),
    h('li', { class: 'muted' }, unit),
  );
  return [chart, legend];
}

function draw(chart, points, lines) {
  const t0 = points[0].t;
  const t1 = points.at(-1).t;
  const max = niceCeiling(Math.max(4, ...points.flatMap((p) => lines.map((l) => p[l.field] ?? 0))));
  const x = (t) => PAD.left + ((t - t0) / Math.max(1, t1 - t0)) * (W - PAD.left - PAD.right);
  const y = (v) => H - PAD.bottom - (v / max) * (H - PAD.top - PAD.bottom);
  for (let i = 0; i <= 4; i++) {
    const v = (max * i) / 4;
    chart.append(
      svg('line', { x1: PAD.left, x2: W - PAD.right, y1: y(v), y2: y(v), class: 'grid' }),
      svg('text', { x: PAD.left - 6, y: y(v) + 4, 'text-anchor': 'end', class: 'axis' }, fmt(v)),
    );
  }
  chart.append(
    svg('text', { x: PAD.left, y: H - 6, class: 'axis' }, `${duration(t1 - t0)} ago`),
    svg('text', { x: W - PAD.right, y: H - 6, 'text-anchor': 'end', class: 'axis' }, 'now'),
  );
  for (const [i, line] of lines.entries()) {
    const coords = points
      .filter((p) => typeof p[line.field] === 'number')
      .map((p) => `${x(p.t).toFixed(1)},${y(p[line.field]).toFixed(1)}`);
    chart.append(svg('polyline', { points: coords.join(' '), class: `line c${i}` }));
  }
}

/** A top for the y axis that splits into four round steps (1, 2 or 5 × 10^k each). */
function niceCeiling(v) {
  const raw = v / 4;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw);
  return step * 4;
}

function fmt(v) {
  return Number.isInteger(v) ? String(v) : v.toFixed(1);
}

// Small horizontal bar charts as inline SVG. Built with DOM calls (labels are text nodes, never markup) and
// presentation attributes only, because the page's CSP forbids inline styles; colours come from style.css.
const SVG = 'http://www.w3.org/2000/svg';
const ROW = 26;
const LABEL_WIDTH = 150;
const BAR_WIDTH = 320;
const VALUE_WIDTH = 110;

function svg(tag, attributes = {}, text) {
  const element = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, String(value));
  if (text !== undefined) element.append(document.createTextNode(String(text)));
  return element;
}

/**
 * One bar per item, scaled to the largest value (or to `max` when given, e.g. the MQL count for a funnel).
 * items: [{ label, value, note? }] — note is shown after the value (e.g. a conversion rate).
 */
export function barChart(items, { title, max, kind = 'funnel' } = {}) {
  const top = Math.max(max ?? 0, ...items.map((item) => item.value), 0);
  const height = items.length * ROW + 4;
  const chart = svg('svg', {
    class: `chart chart-${kind}`,
    role: 'img',
    width: LABEL_WIDTH + BAR_WIDTH + VALUE_WIDTH,
    height,
    viewBox: `0 0 ${LABEL_WIDTH + BAR_WIDTH + VALUE_WIDTH} ${height}`,
  });
  if (title) chart.append(svg('title', {}, title));
  items.forEach((item, index) => {
    const y = index * ROW + 2;
    const width = top > 0 ? Math.round((item.value / top) * BAR_WIDTH) : 0;
    const row = svg('g', { class: 'bar-row', 'data-label': item.label, 'data-value': item.value });
    row.append(
      svg('text', { x: LABEL_WIDTH - 8, y: y + 16, 'text-anchor': 'end', class: 'bar-label' }, item.label),
      svg('rect', { x: LABEL_WIDTH, y, width: Math.max(width, item.value > 0 ? 2 : 0), height: ROW - 6, rx: 2, class: 'bar' }),
      svg('text', { x: LABEL_WIDTH + width + 6, y: y + 16, class: 'bar-value' }, item.note ? `${item.value} · ${item.note}` : item.value),
    );
    chart.append(row);
  });
  return chart;
}

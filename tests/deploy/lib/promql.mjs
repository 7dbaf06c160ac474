// Small PromQL helpers shared by the dashboard and rules checks. Not a parser: promtool does
// the real parsing; this only finds the metric names an expression refers to.

const KEYWORDS = new Set([
  'by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'and', 'or', 'unless',
  'offset', 'bool', 'inf', 'nan', 'atan2',
]);

/** Metric names referenced by a PromQL expression (functions and label names excluded). */
export function metricNames(expr) {
  let s = expr
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, '""') // string literals
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ') // label lists
    .replace(/\{[^}]*\}/g, ' ') // label matchers
    .replace(/\[[^\]]*\]/g, ' '); // range / subquery selectors
  const names = new Set();
  for (const m of s.matchAll(/(?<![\w:.$])([a-zA-Z_:][a-zA-Z0-9_:]*)(\s*\()?/g)) {
    const [, name, call] = m;
    if (call) continue; // function or aggregation
    if (KEYWORDS.has(name.toLowerCase())) continue;
    names.add(name);
  }
  return [...names];
}

/** Names of the series in a promtool input_series list ('name{labels}' strings). */
export function seriesNames(series) {
  return new Set(series.map((s) => s.series.replace(/\{.*$/, '').trim()));
}

/** Label names an expression groups by or matches on (by/without/on/ignoring lists, {matchers}). */
export function labelNames(expr) {
  const s = expr.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, '""');
  const names = new Set();
  for (const m of s.matchAll(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\(([^)]*)\)/g)) {
    for (const l of m[1].split(',')) if (l.trim()) names.add(l.trim());
  }
  for (const m of s.matchAll(/\{([^}]*)\}/g)) {
    for (const l of m[1].matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)\s*(?:=~|!~|!=|=)/g)) names.add(l[1]);
  }
  return [...names];
}

/** Map of metric name to the label names its series carry in a promtool input_series list. */
export function seriesLabels(series) {
  const out = new Map();
  for (const { series: s } of series) {
    const name = s.replace(/\{.*$/, '').trim();
    const labels = out.get(name) ?? new Set();
    for (const l of (s.match(/\{(.*)\}/)?.[1] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)\s*=/g)) labels.add(l[1]);
    out.set(name, labels);
  }
  return out;
}

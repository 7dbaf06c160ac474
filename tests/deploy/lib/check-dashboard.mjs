// Checks grafana/dashboards/*.json:
//   1. against a JSON schema generated (ts-json-schema-generator) from the Dashboard type of the
//      npm package @grafana/schema, the types Grafana itself publishes, with no extra
//      properties allowed, so a misspelt or misplaced key fails;
//   2. Grafana-level rules the schema cannot express: unique panel ids, panels inside the
//      24-column grid and not overlapping, every panel and query on the ${DS_PROMETHEUS}
//      datasource variable, the variables the queries use are defined, refIds unique;
//   3. every metric used by a dashboard query or by grafana/prometheus/recon-rules.yml is in
//      tests/deploy/metrics-contract.yml, and every label it groups or filters by is carried by
//      one of the query's metrics there;
//   4. writes .tools/dashboard-queries.{rules,test}.yml so that validate.sh can have promtool
//      parse every query and check that each returns data against the contract series.
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { Ajv } from 'ajv';
import { labelNames, metricNames, seriesLabels, seriesNames } from './promql.mjs';
import { REPO, TOOLS, Report, rel } from './report.mjs';

const report = new Report('dashboard');

// ---- 1. schema ------------------------------------------------------------------------------
// The package's "exports" hide its .d.ts files from require.resolve, so go by path.
const schemaDir = path.join(REPO, 'tests/deploy/node_modules/@grafana/schema');
const schemaPkg = JSON.parse(fs.readFileSync(path.join(schemaDir, 'package.json'), 'utf8'));
const typesFile = path.join(schemaDir, 'dist/types/raw/dashboard/x/types.gen.d.ts');
const schemaFile = path.join(TOOLS, `dashboard.schema.${schemaPkg.version}.json`);
if (!fs.existsSync(schemaFile)) {
  const { createGenerator } = await import('ts-json-schema-generator');
  const schema = createGenerator({ path: typesFile, type: 'Dashboard', skipTypeCheck: true }).createSchema('Dashboard');
  fs.mkdirSync(TOOLS, { recursive: true });
  fs.writeFileSync(schemaFile, JSON.stringify(schema, null, 2));
}
const ajv = new Ajv({ allErrors: true, strict: false });
const validate = ajv.compile(JSON.parse(fs.readFileSync(schemaFile, 'utf8')));
report.note(`schema: @grafana/schema ${schemaPkg.version} Dashboard type (${rel(schemaFile)})`);

// ---- contract -------------------------------------------------------------------------------
const contract = YAML.parse(fs.readFileSync(path.join(REPO, 'tests/deploy/metrics-contract.yml'), 'utf8'));
const known = seriesNames(contract.series);
const knownLabels = seriesLabels(contract.series);

/** Report metrics of expr missing from the contract, and labels none of its metrics carry. */
function checkContract(expr, where) {
  const metrics = metricNames(expr);
  const carried = new Set(['__name__']);
  for (const m of metrics) {
    if (!known.has(m)) report.fail(`${where}: metric ${m} is not in tests/deploy/metrics-contract.yml`);
    for (const l of knownLabels.get(m) ?? []) carried.add(l);
  }
  for (const l of labelNames(expr)) {
    if (!carried.has(l)) report.fail(`${where}: label ${l} is on none of ${metrics.join(', ')} in tests/deploy/metrics-contract.yml`);
  }
}

const dashDir = path.join(REPO, 'grafana/dashboards');
const dashFiles = fs.readdirSync(dashDir).filter((f) => f.endsWith('.json'));
report.expect(dashFiles.length > 0, `no dashboards in ${rel(dashDir)}`);

// Grafana variables a query may use, and what to put in their place for promtool.
const BUILTIN_VARS = { __rate_interval: '1m', __interval: '1m', __range: '5m' };

const queryRules = [];
const queryTests = [];

for (const file of dashFiles) {
  const where = `grafana/dashboards/${file}`;
  let dash;
  try {
    dash = JSON.parse(fs.readFileSync(path.join(dashDir, file), 'utf8'));
  } catch (e) {
    report.fail(`${where}: not JSON: ${e.message}`);
    continue;
  }
  if (!validate(dash)) {
    for (const e of validate.errors) {
      report.fail(`${where}: schema: ${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`);
    }
  }

  // ---- 2. Grafana rules ---------------------------------------------------------------------
  report.expect(typeof dash.uid === 'string' && /^[a-zA-Z0-9_-]{1,40}$/.test(dash.uid), `${where}: uid must be 1-40 chars [a-zA-Z0-9_-]`);
  report.expect(dash.schemaVersion >= 39, `${where}: schemaVersion ${dash.schemaVersion} is older than Grafana 11`);
  const vars = new Map((dash.templating?.list ?? []).map((v) => [v.name, v]));
  const ds = vars.get('DS_PROMETHEUS');
  report.expect(ds && ds.type === 'datasource' && ds.query === 'prometheus', `${where}: needs a datasource variable DS_PROMETHEUS of type prometheus`);

  const flat = [];
  for (const p of dash.panels ?? []) {
    flat.push(p);
    for (const child of p.panels ?? []) flat.push(child);
  }
  const ids = new Set();
  const cells = new Map();
  for (const p of flat) {
    const name = `${where}: panel ${p.id} "${p.title}"`;
    report.expect(Number.isInteger(p.id) && !ids.has(p.id), `${name}: id missing or duplicated`);
    ids.add(p.id);
    const g = p.gridPos;
    if (report.expect(g, `${name}: no gridPos`)) {
      report.expect(g.x >= 0 && g.w > 0 && g.x + g.w <= 24 && g.y >= 0 && g.h > 0, `${name}: gridPos outside the 24-column grid`);
      for (let x = g.x; x < g.x + g.w; x++) {
        for (let y = g.y; y < g.y + g.h; y++) {
          const other = cells.get(`${x},${y}`);
          if (other !== undefined) {
            report.fail(`${name}: overlaps panel ${other} at column ${x}, row ${y}`);
            y = Infinity;
            x = Infinity;
          } else cells.set(`${x},${y}`, p.id);
        }
      }
    }
    if (p.type === 'row') continue;
    report.expect(p.datasource?.uid === '${DS_PROMETHEUS}', `${name}: datasource must be the \${DS_PROMETHEUS} variable`);
    report.expect(p.description, `${name}: no description`);
    const targets = p.targets ?? [];
    report.expect(targets.length > 0, `${name}: no queries`);
    const refIds = new Set();
    for (const t of targets) {
      const tn = `${name} query ${t.refId}`;
      report.expect(t.refId && !refIds.has(t.refId), `${tn}: refId missing or duplicated`);
      refIds.add(t.refId);
      report.expect(t.datasource?.uid === '${DS_PROMETHEUS}', `${tn}: datasource must be the \${DS_PROMETHEUS} variable`);
      if (!report.expect(typeof t.expr === 'string' && t.expr.trim(), `${tn}: no expr`)) continue;
      // Substitute variables the way Grafana would (an "All" selection becomes .*).
      let expr = t.expr.replace(/\$\{?(\w+)\}?/g, (m, v) => {
        if (v in BUILTIN_VARS) return BUILTIN_VARS[v];
        const def = vars.get(v);
        if (!def) {
          report.fail(`${tn}: uses undefined variable $${v}`);
          return m;
        }
        return def.includeAll ? (def.allValue ?? '.*') : '.*';
      });
      // ---- 3. contract --------------------------------------------------------------------
      checkContract(expr, tn);
      const record = `dashboard:${dash.uid.replace(/-/g, '_')}:panel${p.id}_${t.refId}`;
      queryRules.push({ record, expr });
      queryTests.push({ expr: `absent(${expr})`, panel: name, ref: t.refId });
    }
  }
  report.note(`${where}: ${flat.length} panels, ${queryRules.length} queries`);
}

// Metric names in the alerting rules must be in the contract too.
const rulesFile = path.join(REPO, 'grafana/prometheus/recon-rules.yml');
const rules = YAML.parse(fs.readFileSync(rulesFile, 'utf8'));
for (const g of rules.groups ?? []) {
  for (const r of g.rules ?? []) {
    checkContract(r.expr, `${rel(rulesFile)}: ${r.alert ?? r.record}`);
  }
}

// ---- 4. promtool inputs ---------------------------------------------------------------------
// "absent(q)" returns nothing exactly when q returns something, so an empty expected result
// asserts that the dashboard query has data for the contract series.
fs.mkdirSync(TOOLS, { recursive: true });
fs.writeFileSync(
  path.join(TOOLS, 'dashboard-queries.rules.yml'),
  YAML.stringify({ groups: [{ name: 'dashboard-queries', rules: queryRules }] }, { lineWidth: 0 }),
);
fs.writeFileSync(
  path.join(TOOLS, 'dashboard-queries.test.yml'),
  '# Generated by tests/deploy/lib/check-dashboard.mjs; do not edit.\n' +
    YAML.stringify(
      {
        rule_files: ['dashboard-queries.rules.yml'],
        evaluation_interval: '1m',
        tests: [
          {
            interval: contract.interval,
            input_series: contract.series,
            promql_expr_test: queryTests.map((q) => ({ expr: q.expr, eval_time: '15m', exp_samples: [] })),
          },
        ],
      },
      { lineWidth: 0 },
    ),
);
report.finish();

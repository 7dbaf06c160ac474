// Cross-file checks of docker-compose.yml against the files it mounts and the services it
// talks to, the part neither `docker-compose config` nor dclint can see:
//   - Recon services: one per implemented role, embedded broker off, a bootstrap address that
//     is a Kafka listener of the kafka service, DJL_CACHE_DIR on a volume, paths equal to
//     the image's (Dockerfile.jvm), health checks, memory limits;
//   - depends_on: every dependency has a condition, service_healthy only on services with a
//     health check, the topic initialiser creates every topic Recon uses;
//   - bind mounts exist; Prometheus scrapes every Recon service on 8080 with the role label
//     the rules use; Grafana's datasource points at the prometheus service with the uid the
//     dashboard selects, and the dashboard provider path is where the dashboards are mounted.
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { REPO, TOOLS, Report } from './report.mjs';

const report = new Report('compose');
const read = (p) => YAML.parse(fs.readFileSync(path.join(REPO, p), 'utf8'), { merge: true });
const compose = read('docker-compose.yml');
const services = compose.services ?? {};
const IMPLEMENTED_ROLES = ['scorer', 'replay', 'explainer', 'console'];
// Roles that run beside another in the same service rather than in one of their own: the console
// shows the model list and drift of the scorer it rides with.
const COMPANION_ROLES = { console: 'scorer' };
const TOPICS = ['telemetry.events', 'telemetry.events.dlq', 'recon.alerts', 'recon.verdicts', 'recon.explanations', 'recon.alerts.dlq'];
const imageEnvFile = path.join(TOOLS, 'image-env.json');
const imageEnv = fs.existsSync(imageEnvFile) ? JSON.parse(fs.readFileSync(imageEnvFile, 'utf8')) : {};

/** Compose's `$$` is a literal `$`. */
const unescape = (v) => (typeof v === 'string' ? v.replace(/\$\$/g, '$') : v);
const envOf = (s) => {
  const e = s.environment ?? {};
  if (Array.isArray(e)) return Object.fromEntries(e.map((kv) => kv.split(/=(.*)/s).slice(0, 2)));
  return Object.fromEntries(Object.entries(e).map(([k, v]) => [k, v === null ? '' : String(v)]));
};
const volumesOf = (s) =>
  (s.volumes ?? []).map((v) => {
    if (typeof v !== 'string') return { source: v.source, target: v.target, type: v.type };
    const [source, target] = v.split(':');
    return { source, target, type: /^[./~]/.test(source) ? 'bind' : 'volume' };
  });

// ---- Kafka ------------------------------------------------------------------------------------
const kafka = services.kafka;
const kafkaListeners = new Set();
if (report.expect(kafka, 'no kafka service')) {
  report.expect(kafka.image === 'apache/kafka:4.1.2', `kafka image is ${kafka.image}, expected apache/kafka:4.1.2`);
  const env = envOf(kafka);
  report.expect(/broker/.test(env.KAFKA_PROCESS_ROLES) && /controller/.test(env.KAFKA_PROCESS_ROLES), 'kafka must run KRaft broker,controller');
  for (const l of (env.KAFKA_ADVERTISED_LISTENERS ?? '').split(',')) {
    const m = l.match(/^\w+:\/\/([^:]+):(\d+)$/);
    if (m) kafkaListeners.add(`${m[1]}:${m[2]}`);
  }
  if (env.KAFKA_AUTO_CREATE_TOPICS_ENABLE === 'false') {
    const init = Object.entries(services).find(([, s]) => s.image?.startsWith('apache/kafka') && s !== kafka);
    if (report.expect(init, 'auto-create is off but no service creates the topics')) {
      const script = unescape([].concat(init[1].command ?? []).join('\n'));
      for (const t of TOPICS) report.expect(new RegExp(`(^|[\\s"'])${t.replace(/\./g, '\\.')}(:|\\s|$)`, 'm').test(script), `${init[0]} does not create topic ${t}`);
    }
  }
}

// ---- every service ----------------------------------------------------------------------------
for (const [name, s] of Object.entries(services)) {
  report.expect(s.deploy?.resources?.limits?.memory, `${name}: no deploy.resources.limits.memory`);
  const oneShot = s.restart === 'no';
  report.expect(oneShot || s.healthcheck?.test, `${name}: long-running service without a healthcheck`);
  for (const [dep, cond] of Object.entries(Array.isArray(s.depends_on) ? Object.fromEntries(s.depends_on.map((d) => [d, {}])) : (s.depends_on ?? {}))) {
    const target = services[dep];
    if (!report.expect(target, `${name}: depends_on unknown service ${dep}`)) continue;
    report.expect(cond.condition, `${name}: depends_on ${dep} without a condition`);
    if (cond.condition === 'service_healthy') report.expect(target.healthcheck?.test, `${name}: waits for ${dep} to be healthy, but ${dep} has no healthcheck`);
    if (cond.condition === 'service_completed_successfully') report.expect(target.restart === 'no', `${name}: waits for ${dep} to complete, but ${dep} restarts`);
  }
  for (const v of volumesOf(s)) {
    if (v.type === 'bind') report.expect(fs.existsSync(path.join(REPO, v.source)), `${name}: bind mount source ${v.source} does not exist`);
    else report.expect(compose.volumes && v.source in compose.volumes, `${name}: named volume ${v.source} is not declared`);
  }
  if (s.build) {
    const df = path.join(REPO, s.build.context ?? '.', s.build.dockerfile ?? 'Dockerfile');
    report.expect(fs.existsSync(df), `${name}: Dockerfile ${path.relative(REPO, df)} does not exist`);
  }
}

// ---- Recon services ---------------------------------------------------------------------------
const recon = Object.entries(services).filter(([, s]) => 'RECON_ROLES' in envOf(s));
const roles = new Map();
for (const [name, s] of recon) {
  const env = envOf(s);
  const rs = env.RECON_ROLES.split(',').map((r) => r.trim());
  for (const r of rs) {
    report.expect(IMPLEMENTED_ROLES.includes(r), `${name}: role ${r} is not implemented (only ${IMPLEMENTED_ROLES})`);
    if (COMPANION_ROLES[r]) report.expect(rs[0] === COMPANION_ROLES[r], `${name}: role ${r} runs only beside ${COMPANION_ROLES[r]}, listed first`);
    report.expect(!roles.has(r), `${name}: role ${r} also runs in ${roles.get(r)}`);
    roles.set(r, name);
  }
  report.expect(env.RECON_KAFKA_EMBEDDED_ENABLED === 'false', `${name}: RECON_KAFKA_EMBEDDED_ENABLED must be "false"`);
  report.expect(kafkaListeners.has(env.KAFKA_BOOTSTRAP_SERVERS), `${name}: KAFKA_BOOTSTRAP_SERVERS=${env.KAFKA_BOOTSTRAP_SERVERS} is not an advertised listener of kafka`);
  report.expect(['auto', 'cpu', 'gpu'].includes(env.RECON_DEVICE ?? 'auto'), `${name}: RECON_DEVICE must be auto|cpu|gpu`);
  const cache = env.DJL_CACHE_DIR ?? imageEnv.DJL_CACHE_DIR;
  report.expect(volumesOf(s).some((v) => v.target === cache), `${name}: DJL_CACHE_DIR ${cache} is not on a volume`);
  for (const k of ['DJL_CACHE_DIR', 'RECON_MODELS_DIR', 'RECON_REPLAY_FILE']) {
    if (env[k] && imageEnv[k]) report.expect(env[k] === imageEnv[k], `${name}: ${k}=${env[k]} differs from the image's ${imageEnv[k]}`);
  }
  const hc = [].concat(s.healthcheck?.test ?? []).join(' ');
  report.expect(/\/q\/health\/(ready|live|started)/.test(hc) && /8080/.test(hc), `${name}: healthcheck does not call /q/health/* on 8080`);
  report.expect(s.depends_on && Object.keys(s.depends_on).some((d) => services[d]?.image?.startsWith('apache/kafka')), `${name}: does not wait for Kafka`);
}
for (const r of IMPLEMENTED_ROLES) report.expect(roles.has(r), `no service runs the ${r} role`);

// ---- Prometheus -------------------------------------------------------------------------------
const prom = services.prometheus;
if (report.expect(prom, 'no prometheus service')) {
  const mount = volumesOf(prom).find((v) => v.type === 'bind');
  const configArg = [].concat(prom.command ?? []).find((a) => a.startsWith('--config.file='))?.split('=')[1] ?? '/etc/prometheus/prometheus.yml';
  report.expect(mount && configArg.startsWith(mount.target + '/'), `prometheus: --config.file ${configArg} is not inside the bind mount`);
  const hostConfig = mount ? path.join(mount.source, path.relative(mount.target, configArg)) : null;
  if (hostConfig && report.expect(fs.existsSync(path.join(REPO, hostConfig)), `prometheus: ${hostConfig} does not exist`)) {
    const pc = read(hostConfig);
    for (const rf of pc.rule_files ?? []) {
      report.expect(fs.existsSync(path.join(REPO, path.dirname(hostConfig), rf)), `prometheus: rule file ${rf} is not next to ${hostConfig}`);
    }
    const targets = new Map();
    for (const job of pc.scrape_configs ?? []) {
      for (const sc of job.static_configs ?? []) {
        for (const t of sc.targets) targets.set(t, { job, labels: sc.labels ?? {} });
      }
    }
    for (const [role, name] of roles) {
      if (COMPANION_ROLES[role]) continue; // scraped as the role it rides with
      const t = targets.get(`${name}:8080`);
      if (report.expect(t, `prometheus: does not scrape ${name}:8080`)) {
        report.expect(t.job.metrics_path === '/q/metrics', `prometheus: ${name} is not scraped on /q/metrics`);
        report.expect(t.labels.role === role, `prometheus: ${name} is scraped without role="${role}"`);
      }
    }
    for (const t of targets.keys()) {
      const host = t.split(':')[0];
      report.expect(host === 'localhost' || host in services, `prometheus: target ${t} is not a compose service`);
    }
  }
}

// ---- Grafana ----------------------------------------------------------------------------------
const graf = services.grafana;
if (report.expect(graf, 'no grafana service')) {
  const mounts = volumesOf(graf);
  const prov = mounts.find((v) => v.target === '/etc/grafana/provisioning');
  if (report.expect(prov, 'grafana: provisioning folder is not mounted on /etc/grafana/provisioning')) {
    const dsDir = path.join(prov.source, 'datasources');
    const dsFiles = fs.readdirSync(path.join(REPO, dsDir)).filter((f) => /\.ya?ml$/.test(f));
    const datasources = dsFiles.flatMap((f) => read(path.join(dsDir, f)).datasources ?? []);
    const promDs = datasources.find((d) => d.type === 'prometheus');
    if (report.expect(promDs, 'grafana: no provisioned prometheus datasource')) {
      const u = new URL(promDs.url);
      report.expect(u.hostname in services && u.port === '9090', `grafana: datasource url ${promDs.url} is not the prometheus service`);
      for (const f of fs.readdirSync(path.join(REPO, 'grafana/dashboards')).filter((x) => x.endsWith('.json'))) {
        const dash = JSON.parse(fs.readFileSync(path.join(REPO, 'grafana/dashboards', f), 'utf8'));
        const v = (dash.templating?.list ?? []).find((x) => x.name === 'DS_PROMETHEUS');
        report.expect(v?.current?.value === promDs.uid, `grafana: ${f} DS_PROMETHEUS defaults to ${v?.current?.value}, the provisioned uid is ${promDs.uid}`);
      }
    }
    const dbDir = path.join(prov.source, 'dashboards');
    const providers = fs.readdirSync(path.join(REPO, dbDir)).filter((f) => /\.ya?ml$/.test(f)).flatMap((f) => read(path.join(dbDir, f)).providers ?? []);
    report.expect(providers.length > 0, 'grafana: no dashboard provider');
    for (const p of providers) {
      const m = mounts.find((v) => v.target === p.options?.path);
      report.expect(m && path.normalize(m.source) === path.normalize('./grafana/dashboards'), `grafana: provider ${p.name} reads ${p.options?.path}, where grafana/dashboards is not mounted`);
    }
    const home = envOf(graf).GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH;
    if (home) {
      const m = mounts.find((v) => home.startsWith(v.target + '/'));
      report.expect(m && fs.existsSync(path.join(REPO, m.source, path.relative(m.target, home))), `grafana: home dashboard ${home} is not a mounted file`);
    }
  }
}

report.note(`${Object.keys(services).length} services: ${Object.keys(services).join(', ')}`);
report.finish();

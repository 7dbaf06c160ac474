// Validates the objects an overlay renders to (kubectl kustomize output), with no cluster:
//   1. kubernetes-models: each object against the Kubernetes OpenAPI schema (types, enums,
//      required fields), as the API server would;
//   2. a JSON schema generated from kubernetes-types with no extra properties allowed, to
//      catch misspelt or misplaced fields (which kubernetes-models lets through, and a
//      server with strict field validation rejects);
//   3. Recon's rules: probes on the health endpoints, resources, non-root and read-only root
//      filesystem, DJL_CACHE_DIR on an emptyDir, the embedded broker off, selectors that
//      match, the same in-image paths as the Dockerfile, and the GPU/CPU overlay specifics;
//   4. k8s/prometheus/recon-scrape.yml's relabelling, simulated on the rendered pods: each
//      Recon pod gives one target with the right role, path and port.
//
// usage: node check-k8s.mjs <overlay name> <rendered.yaml>
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import YAML from 'yaml';
import { Ajv } from 'ajv';
import { REPO, TOOLS, Report } from './report.mjs';

const require = createRequire(import.meta.url);
const [overlay, renderedFile] = process.argv.slice(2);
const report = new Report(`k8s/${overlay}`);

const docs = YAML.parseAllDocuments(fs.readFileSync(renderedFile, 'utf8'))
  .map((d) => d.toJS())
  .filter((d) => d);
report.expect(docs.length > 0, 'rendered nothing');

// ---- 1. kubernetes-models ---------------------------------------------------------------------
for (const o of docs) {
  const id = `${o.kind}/${o.metadata?.name}`;
  const [group, version] = o.apiVersion.includes('/') ? o.apiVersion.split('/') : [null, o.apiVersion];
  const modPath = group ? `kubernetes-models/${group}/${version}/${o.kind}` : `kubernetes-models/${version}/${o.kind}`;
  let Model;
  try {
    Model = require(modPath)[o.kind];
  } catch {
    report.fail(`${id}: no kubernetes-models class for ${o.apiVersion} ${o.kind}`);
    continue;
  }
  try {
    new Model(o).validate();
  } catch (e) {
    report.fail(`${id}: ${e.message}`);
  }
}

// ---- 2. strict field names (kubernetes-types) -------------------------------------------------
const KINDS = {
  'apps/v1/Deployment': ['apps/v1', 'Deployment'],
  'apps/v1/StatefulSet': ['apps/v1', 'StatefulSet'],
  'v1/ConfigMap': ['core/v1', 'ConfigMap'],
  'v1/Namespace': ['core/v1', 'Namespace'],
  'v1/Service': ['core/v1', 'Service'],
  'v1/ServiceAccount': ['core/v1', 'ServiceAccount'],
  'policy/v1/PodDisruptionBudget': ['policy/v1', 'PodDisruptionBudget'],
  'autoscaling/v2/HorizontalPodAutoscaler': ['autoscaling/v2', 'HorizontalPodAutoscaler'],
  'networking.k8s.io/v1/NetworkPolicy': ['networking/v1', 'NetworkPolicy'],
};
const typesPkg = JSON.parse(fs.readFileSync(path.join(REPO, 'tests/deploy/node_modules/kubernetes-types/package.json'), 'utf8'));
const k8sSchemaFile = path.join(TOOLS, `k8s.schema.${typesPkg.version}.json`);
if (!fs.existsSync(k8sSchemaFile)) {
  const entry = path.join(TOOLS, 'k8s-types.ts');
  const imports = Object.values(KINDS).map(([mod, kind], i) => `import type { ${kind} as T${i} } from 'kubernetes-types/${mod}';`);
  const fields = Object.keys(KINDS).map((k, i) => `  '${k}': T${i};`);
  fs.mkdirSync(TOOLS, { recursive: true });
  fs.writeFileSync(entry, `${imports.join('\n')}\nexport interface K8sObjects {\n${fields.join('\n')}\n}\n`);
  const { createGenerator } = await import('ts-json-schema-generator');
  const schema = createGenerator({ path: entry, type: 'K8sObjects', skipTypeCheck: true }).createSchema('K8sObjects');
  // kubernetes-types says Quantity is a string; the API server also takes plain numbers (cpu: 2).
  schema.definitions.Quantity = { type: ['string', 'number'] };
  fs.writeFileSync(k8sSchemaFile, JSON.stringify(schema, null, 2));
}
const k8sSchema = JSON.parse(fs.readFileSync(k8sSchemaFile, 'utf8'));
const ajv = new Ajv({ allErrors: true, strict: false });
const strict = {};
for (const key of Object.keys(KINDS)) {
  strict[key] = ajv.compile({ ...k8sSchema, $ref: undefined, ...k8sSchema.definitions.K8sObjects.properties[key] });
}
for (const o of docs) {
  const key = `${o.apiVersion}/${o.kind}`;
  const v = strict[key];
  if (!report.expect(v, `${o.kind}/${o.metadata?.name}: ${key} is not in the strict schema list of check-k8s.mjs`)) continue;
  if (!v(o)) {
    for (const e of v.errors) {
      if (e.keyword === 'additionalProperties') {
        report.fail(`${o.kind}/${o.metadata?.name}: unknown field ${e.instancePath}/${e.params.additionalProperty}`);
      } else {
        report.fail(`${o.kind}/${o.metadata?.name}: ${e.instancePath} ${e.message}`);
      }
    }
  }
}

// ---- 3. Recon rules ---------------------------------------------------------------------------
const byKind = (k) => docs.filter((o) => o.kind === k);
const deployments = byKind('Deployment');
const configMaps = new Map(byKind('ConfigMap').map((c) => [c.metadata.name, c]));
const NAMESPACE = 'recon';
const IMPLEMENTED_ROLES = ['scorer', 'replay', 'explainer'];
// Roles that run beside another in its Deployment rather than in one of their own: the console
// shows the model list and drift of the scorer it rides with.
const COMPANION_ROLES = { console: 'scorer' };
const imageEnvFile = path.join(TOOLS, 'image-env.json');
const imageEnv = fs.existsSync(imageEnvFile) ? JSON.parse(fs.readFileSync(imageEnvFile, 'utf8')) : {};

for (const o of docs) {
  if (o.kind !== 'Namespace') {
    report.expect(o.metadata.namespace === NAMESPACE, `${o.kind}/${o.metadata.name}: namespace is ${o.metadata.namespace}, not ${NAMESPACE}`);
  }
}
const subset = (sel, labels) => Object.entries(sel ?? {}).every(([k, v]) => labels?.[k] === v);

const seenRoles = new Map();
for (const d of deployments) {
  const n = `Deployment/${d.metadata.name}`;
  const tpl = d.spec.template;
  const pod = tpl.spec;
  report.expect(subset(d.spec.selector.matchLabels, tpl.metadata.labels), `${n}: selector does not match the pod labels`);
  const ann = tpl.metadata.annotations ?? {};
  report.expect(ann['prometheus.io/scrape'] === 'true' && ann['prometheus.io/path'] === '/q/metrics' && ann['prometheus.io/port'] === '8080',
    `${n}: pod needs prometheus.io/scrape=true, path=/q/metrics, port=8080 annotations`);
  report.expect(pod.securityContext?.runAsNonRoot === true, `${n}: pod securityContext.runAsNonRoot must be true`);
  report.expect(pod.securityContext?.seccompProfile?.type === 'RuntimeDefault', `${n}: pod seccompProfile must be RuntimeDefault`);
  report.expect(pod.automountServiceAccountToken === false, `${n}: automountServiceAccountToken must be false`);
  const volumes = new Map((pod.volumes ?? []).map((v) => [v.name, v]));

  for (const c of pod.containers) {
    const cn = `${n} container ${c.name}`;
    report.expect(/:[\w][\w.-]*$/.test(c.image) && !c.image.endsWith(':latest'), `${cn}: image ${c.image} has no pinned tag`);
    for (const kind of ['requests', 'limits']) {
      for (const r of ['cpu', 'memory']) report.expect(c.resources?.[kind]?.[r] !== undefined, `${cn}: resources.${kind}.${r} missing`);
    }
    const ports = new Map((c.ports ?? []).map((p) => [p.name, p.containerPort]));
    report.expect(ports.get('http') === 8080, `${cn}: needs containerPort 8080 named http`);
    for (const [probe, p] of [['startupProbe', '/q/health/started'], ['livenessProbe', '/q/health/live'], ['readinessProbe', '/q/health/ready']]) {
      const pr = c[probe]?.httpGet;
      report.expect(pr?.path === p && (pr.port === 'http' || pr.port === 8080), `${cn}: ${probe} must GET ${p} on port http`);
    }
    const sc = c.securityContext ?? {};
    report.expect(sc.allowPrivilegeEscalation === false, `${cn}: allowPrivilegeEscalation must be false`);
    report.expect(sc.readOnlyRootFilesystem === true, `${cn}: readOnlyRootFilesystem must be true`);
    report.expect(sc.capabilities?.drop?.includes('ALL'), `${cn}: capabilities must drop ALL`);

    // Effective environment: envFrom ConfigMaps, then env (env wins, as in Kubernetes).
    const env = {};
    for (const ef of c.envFrom ?? []) {
      const name = ef.configMapRef?.name;
      const cm = configMaps.get(name);
      if (report.expect(cm, `${cn}: envFrom ConfigMap ${name} is not rendered`)) Object.assign(env, cm.data);
    }
    for (const e of c.env ?? []) env[e.name] = e.value;

    report.expect(env.RECON_KAFKA_EMBEDDED_ENABLED === 'false', `${cn}: RECON_KAFKA_EMBEDDED_ENABLED must be "false" (Kafka is external)`);
    report.expect(env.KAFKA_BOOTSTRAP_SERVERS, `${cn}: KAFKA_BOOTSTRAP_SERVERS not set`);
    const roles = (env.RECON_ROLES ?? '').split(',').map((s) => s.trim()).filter(Boolean);
    report.expect(roles.length >= 1 && IMPLEMENTED_ROLES.includes(roles[0]), `${cn}: RECON_ROLES must start with one of ${IMPLEMENTED_ROLES} (is "${env.RECON_ROLES}")`);
    for (const r of roles.slice(1)) report.expect(COMPANION_ROLES[r] === roles[0], `${cn}: role ${r} cannot ride with ${roles[0]} (RECON_ROLES "${env.RECON_ROLES}")`);
    for (const r of roles) seenRoles.set(r, { deployment: d, container: c, env });
    report.expect(tpl.metadata.labels['app.kubernetes.io/component'] === roles[0], `${cn}: label app.kubernetes.io/component should equal RECON_ROLES`);
    report.expect(['auto', 'cpu', 'gpu'].includes(env.RECON_DEVICE), `${cn}: RECON_DEVICE must be auto|cpu|gpu`);
    for (const k of ['DJL_CACHE_DIR', 'RECON_MODELS_DIR', 'RECON_REPLAY_FILE']) {
      if (imageEnv[k]) report.expect(env[k] === imageEnv[k], `${cn}: ${k}=${env[k]} differs from the image's ${imageEnv[k]} (Dockerfile.jvm)`);
    }
    // DJL_CACHE_DIR and /tmp must be writable emptyDirs: the root filesystem is read-only.
    for (const [what, mount] of [['DJL_CACHE_DIR', env.DJL_CACHE_DIR], ['/tmp', '/tmp']]) {
      const vm = (c.volumeMounts ?? []).find((m) => m.mountPath === mount);
      report.expect(vm && volumes.get(vm.name)?.emptyDir, `${cn}: ${what} (${mount}) is not an emptyDir mount`);
    }
    const gpu = c.resources?.limits?.['nvidia.com/gpu'];
    if (overlay === 'gpu' && roles[0] === 'scorer') {
      report.expect(String(gpu) === '1', `${cn}: GPU overlay scorer needs limits nvidia.com/gpu: 1`);
      report.expect(env.RECON_DEVICE === 'gpu', `${cn}: GPU overlay scorer needs RECON_DEVICE=gpu`);
      report.expect(env.PYTORCH_LIBRARY_PATH?.startsWith('/'), `${cn}: PYTORCH_LIBRARY_PATH must be an absolute path`);
      report.expect(env.PYTORCH_VERSION === '2.7.1', `${cn}: PYTORCH_VERSION must be 2.7.1 (the pytorch-jni in the pom)`);
      report.expect(env.PYTORCH_FLAVOR === 'cu128', `${cn}: PYTORCH_FLAVOR must be cu128`);
      report.expect(pod.nodeSelector && Object.keys(pod.nodeSelector).length, `${cn}: GPU pods need a nodeSelector`);
      report.expect((pod.tolerations ?? []).some((t) => t.key === 'nvidia.com/gpu'), `${cn}: GPU pods need the nvidia.com/gpu toleration`);
    } else {
      report.expect(gpu === undefined, `${cn}: must not request a GPU in the ${overlay} overlay`);
      report.expect(env.RECON_DEVICE === 'cpu', `${cn}: RECON_DEVICE should be cpu (is ${env.RECON_DEVICE})`);
      report.expect(!env.PYTORCH_LIBRARY_PATH, `${cn}: PYTORCH_LIBRARY_PATH is for the GPU image only`);
    }
  }
}
for (const r of IMPLEMENTED_ROLES) report.expect(seenRoles.has(r), `no Deployment runs the ${r} role`);

const podLabels = deployments.map((d) => d.spec.template.metadata.labels);
for (const s of byKind('Service')) {
  const matched = deployments.filter((d) => subset(s.spec.selector, d.spec.template.metadata.labels));
  report.expect(matched.length === 1, `Service/${s.metadata.name}: selector matches ${matched.length} Deployments, expected 1`);
  for (const p of s.spec.ports) {
    const ok = matched.every((d) => d.spec.template.spec.containers.some((c) => (c.ports ?? []).some((cp) => cp.name === p.targetPort || cp.containerPort === p.targetPort)));
    report.expect(ok, `Service/${s.metadata.name}: targetPort ${p.targetPort} is not a container port`);
  }
}
const pdbs = byKind('PodDisruptionBudget');
const scorer = seenRoles.get('scorer')?.deployment;
report.expect(pdbs.some((p) => scorer && subset(p.spec.selector.matchLabels, scorer.spec.template.metadata.labels)), 'no PodDisruptionBudget selects the scorer pods');
for (const p of pdbs) {
  report.expect(podLabels.some((l) => subset(p.spec.selector.matchLabels, l)), `PodDisruptionBudget/${p.metadata.name}: selects no pods`);
}

// ---- 4. Prometheus relabelling on the rendered pods --------------------------------------------
/** Prometheus relabel_config semantics for the actions used here (replace, keep, drop). */
function relabel(labels, rules) {
  let l = { ...labels };
  for (const r of rules) {
    const value = (r.source_labels ?? []).map((s) => l[s] ?? '').join(r.separator ?? ';');
    const re = new RegExp(`^(?:${r.regex ?? '(.*)'})$`);
    const m = value.match(re);
    const action = r.action ?? 'replace';
    if (action === 'keep' && !m) return null;
    if (action === 'drop' && m) return null;
    if (action === 'replace' && m) {
      const out = (r.replacement ?? '$1').replace(/\$\{?(\d+)\}?/g, (_, i) => m[Number(i)] ?? '');
      if (out === '') delete l[r.target_label];
      else l[r.target_label] = out;
    }
  }
  return l;
}
const scrape = YAML.parse(fs.readFileSync(path.join(REPO, 'k8s/prometheus/recon-scrape.yml'), 'utf8'));
const job = scrape.scrape_configs.find((j) => j.job_name === 'recon');
if (report.expect(job, 'k8s/prometheus/recon-scrape.yml: no job "recon"')) {
  const meta = (name, labels, annotations, port, ns = NAMESPACE) => {
    const m = {
      __address__: `10.0.0.1:${port.containerPort}`,
      __metrics_path__: job.metrics_path ?? '/metrics',
      __meta_kubernetes_namespace: ns,
      __meta_kubernetes_pod_name: `${name}-abc12`,
      __meta_kubernetes_pod_container_port_name: port.name ?? '',
      __meta_kubernetes_pod_container_port_number: String(port.containerPort),
    };
    const clean = (k) => k.replace(/[^a-zA-Z0-9_]/g, '_');
    for (const [k, v] of Object.entries(labels ?? {})) m[`__meta_kubernetes_pod_label_${clean(k)}`] = v;
    for (const [k, v] of Object.entries(annotations ?? {})) m[`__meta_kubernetes_pod_annotation_${clean(k)}`] = v;
    return m;
  };
  for (const d of deployments) {
    const tpl = d.spec.template;
    const targets = tpl.spec.containers
      .flatMap((c) => c.ports ?? [])
      .map((p) => relabel(meta(d.metadata.name, tpl.metadata.labels, tpl.metadata.annotations, p), job.relabel_configs))
      .filter(Boolean);
    const role = tpl.metadata.labels['app.kubernetes.io/component'];
    const n = `recon-scrape.yml on Deployment/${d.metadata.name}`;
    if (report.expect(targets.length === 1, `${n}: gives ${targets.length} targets, expected 1`)) {
      const t = targets[0];
      report.expect(t.role === role, `${n}: role label is ${t.role}, expected ${role}`);
      report.expect(t.__metrics_path__ === '/q/metrics', `${n}: metrics path is ${t.__metrics_path__}`);
      report.expect(t.__address__ === '10.0.0.1:8080', `${n}: address is ${t.__address__}`);
    }
  }
  const foreign = relabel(meta('other', { 'app.kubernetes.io/name': 'other' }, { 'prometheus.io/scrape': 'true' }, { name: 'http', containerPort: 8080 }), job.relabel_configs);
  report.expect(foreign === null, 'recon-scrape.yml: keeps a non-Recon pod');
}

report.note(`${docs.length} objects: ${[...new Set(docs.map((o) => o.kind))].join(', ')}`);
report.finish();

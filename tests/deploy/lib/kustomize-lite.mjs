// A fallback for `kubectl kustomize`, used by validate.sh only where no kustomize v4+ is
// installed (Debian's kubernetes-client is 1.20, whose kustomize v2 predates `labels` and
// `patches`). It implements exactly the kustomization features k8s/ uses and refuses any
// other, so it cannot silently render something different; where kubectl is present,
// validate.sh renders both ways and compares (same-objects.mjs).
//
// Supported: resources (files and kustomization folders), namespace, labels (pairs,
// includeSelectors, includeTemplates), images (name, newName, newTag), configMapGenerator
// (envs, literals, behavior create|merge, content-hash suffix and references to it), patches
// (path + target kind/name, strategic merge where lists of named items merge by name).
//
// usage: node kustomize-lite.mjs <kustomization dir>   (YAML stream on stdout)
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import YAML from 'yaml';

const SUPPORTED = new Set(['apiVersion', 'kind', 'resources', 'namespace', 'labels', 'images', 'configMapGenerator', 'patches']);
const CLUSTER_SCOPED = new Set(['Namespace', 'ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition', 'PersistentVolume', 'StorageClass', 'PriorityClass']);
const WORKLOADS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job']);

const die = (msg) => {
  console.error(`kustomize-lite: ${msg}`);
  process.exit(1);
};
const isObj = (v) => v && typeof v === 'object' && !Array.isArray(v);
const readYamlDocs = (file) =>
  YAML.parseAllDocuments(fs.readFileSync(file, 'utf8'))
    .map((d) => {
      if (d.errors.length) die(`${file}: ${d.errors[0].message}`);
      return d.toJS();
    })
    .filter(Boolean);

/** Strategic merge of patch into target (maps deep-merge, lists of named items merge by name). */
function merge(target, patch, where) {
  if (!isObj(patch) || !isObj(target)) return structuredClone(patch);
  const out = { ...target };
  for (const [k, pv] of Object.entries(patch)) {
    if (k.startsWith('$')) die(`${where}: patch directive ${k} is not supported`);
    const tv = target[k];
    if (pv === null) delete out[k];
    else if (Array.isArray(pv) && Array.isArray(tv) && [...pv, ...tv].every((i) => isObj(i) && typeof i.name === 'string')) {
      const merged = tv.map((t) => {
        const p = pv.find((x) => x.name === t.name);
        return p ? merge(t, p, `${where}.${k}[${t.name}]`) : t;
      });
      const added = pv.filter((p) => !tv.some((t) => t.name === p.name)).map((p) => structuredClone(p));
      out[k] = [...added, ...merged];
    } else if (isObj(pv) && isObj(tv)) out[k] = merge(tv, pv, `${where}.${k}`);
    else out[k] = structuredClone(pv);
  }
  return out;
}

function parseEnvFile(file) {
  const data = {};
  for (const raw of fs.readFileSync(file, 'utf8').split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const i = line.indexOf('=');
    if (i < 1) die(`${file}: not KEY=VALUE: ${line}`);
    data[line.slice(0, i)] = line.slice(i + 1);
  }
  return data;
}

/** Build one kustomization folder; generated ConfigMaps keep their plain names until the end. */
function build(dir) {
  const kfile = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'].map((f) => path.join(dir, f)).find((f) => fs.existsSync(f));
  if (!kfile) die(`${dir}: no kustomization.yaml`);
  const k = YAML.parse(fs.readFileSync(kfile, 'utf8'));
  for (const key of Object.keys(k)) if (!SUPPORTED.has(key)) die(`${kfile}: field ${key} is not supported`);

  let res = [];
  for (const r of k.resources ?? []) {
    const p = path.join(dir, r);
    if (!fs.existsSync(p)) die(`${kfile}: resource ${r} does not exist`);
    if (fs.statSync(p).isDirectory()) res.push(...build(p));
    else res.push(...readYamlDocs(p));
  }

  for (const g of k.configMapGenerator ?? []) {
    for (const key of Object.keys(g)) if (!['name', 'envs', 'literals', 'behavior'].includes(key)) die(`${kfile}: configMapGenerator.${key} is not supported`);
    const data = {};
    for (const e of g.envs ?? []) Object.assign(data, parseEnvFile(path.join(dir, e)));
    for (const l of g.literals ?? []) {
      const i = l.indexOf('=');
      data[l.slice(0, i)] = l.slice(i + 1);
    }
    const behavior = g.behavior ?? 'create';
    const existing = res.find((o) => o.kind === 'ConfigMap' && o.metadata.name === g.name && o.__generated);
    if (behavior === 'merge' || behavior === 'replace') {
      if (!existing) die(`${kfile}: configMapGenerator ${g.name}: nothing to ${behavior}`);
      existing.data = behavior === 'merge' ? { ...existing.data, ...data } : data;
    } else {
      if (existing) die(`${kfile}: configMapGenerator ${g.name} already exists`);
      res.push({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: g.name }, data, __generated: true });
    }
  }

  for (const p of k.patches ?? []) {
    if (!p.path || p.patch || Object.keys(p.target ?? {}).some((t) => !['kind', 'name'].includes(t))) die(`${kfile}: only patches with path and target kind/name are supported`);
    const [patch, ...more] = readYamlDocs(path.join(dir, p.path));
    if (more.length) die(`${p.path}: one document per patch file`);
    const targets = res.filter((o) => (!p.target?.kind || o.kind === p.target.kind) && (!p.target?.name || o.metadata.name === p.target.name));
    if (!targets.length) die(`${kfile}: patch ${p.path} matches nothing`);
    // The patch's apiVersion/kind/metadata.name only select the target; merge the rest.
    const { apiVersion, kind, metadata: { name, namespace, ...meta } = {}, ...body } = patch;
    if (Object.keys(meta).length) body.metadata = meta;
    res = res.map((o) => (targets.includes(o) ? merge(o, body, p.path) : o));
  }

  if (k.namespace) {
    for (const o of res) if (!CLUSTER_SCOPED.has(o.kind)) o.metadata.namespace = k.namespace;
  }

  for (const l of k.labels ?? []) {
    for (const key of Object.keys(l)) if (!['pairs', 'includeSelectors', 'includeTemplates'].includes(key)) die(`${kfile}: labels.${key} is not supported`);
    for (const o of res) {
      o.metadata.labels = { ...(o.metadata.labels ?? {}), ...l.pairs };
      if ((l.includeTemplates || l.includeSelectors) && WORKLOADS.has(o.kind)) {
        o.spec.template.metadata ??= {};
        o.spec.template.metadata.labels = { ...(o.spec.template.metadata.labels ?? {}), ...l.pairs };
      }
      if (l.includeSelectors) {
        if (WORKLOADS.has(o.kind)) o.spec.selector.matchLabels = { ...o.spec.selector.matchLabels, ...l.pairs };
        if (o.kind === 'Service') o.spec.selector = { ...(o.spec.selector ?? {}), ...l.pairs };
        if (o.kind === 'PodDisruptionBudget') o.spec.selector.matchLabels = { ...o.spec.selector.matchLabels, ...l.pairs };
      }
    }
  }

  for (const img of k.images ?? []) {
    for (const key of Object.keys(img)) if (!['name', 'newName', 'newTag'].includes(key)) die(`${kfile}: images.${key} is not supported`);
    for (const o of res) {
      if (!WORKLOADS.has(o.kind)) continue;
      const pod = o.spec.template.spec;
      for (const c of [...(pod.containers ?? []), ...(pod.initContainers ?? [])]) {
        const m = c.image.match(/^([^@]+?)(?::([^:/@]+))?(@.+)?$/);
        if (m[1] !== img.name) continue;
        c.image = `${img.newName ?? m[1]}${img.newTag ? `:${img.newTag}` : m[2] ? `:${m[2]}` : ''}`;
      }
    }
  }
  return res;
}

/** kustomize's content hash of a ConfigMap: sha256 of its sorted JSON, 10 hex chars, with 0 1 3 a e swapped for g h k m t. */
function configMapHash(cm) {
  const sortKeys = (v) => (isObj(v) ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys(v[k])])) : v);
  // kustomize v5 hashes the generated ConfigMap with an empty name (checked against kubectl).
  const json = JSON.stringify(sortKeys({ data: cm.data ?? {}, kind: 'ConfigMap', name: '' }))
    .replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');
  const hex = crypto.createHash('sha256').update(json).digest('hex');
  const map = { 0: 'g', 1: 'h', 3: 'k', a: 'm', e: 't' };
  return [...hex.slice(0, 10)].map((c) => map[c] ?? c).join('');
}

const dir = process.argv[2] ?? die('usage: kustomize-lite.mjs <dir>');
const objs = build(path.resolve(dir));
const renamed = new Map();
for (const o of objs) {
  if (o.__generated) {
    const name = `${o.metadata.name}-${configMapHash(o)}`;
    renamed.set(o.metadata.name, name);
    o.metadata.name = name;
  }
  delete o.__generated;
}
for (const o of objs) {
  if (!WORKLOADS.has(o.kind)) continue;
  const pod = o.spec.template.spec;
  for (const c of [...(pod.containers ?? []), ...(pod.initContainers ?? [])]) {
    for (const ef of c.envFrom ?? []) if (ef.configMapRef && renamed.has(ef.configMapRef.name)) ef.configMapRef.name = renamed.get(ef.configMapRef.name);
    for (const e of c.env ?? []) {
      const ref = e.valueFrom?.configMapKeyRef;
      if (ref && renamed.has(ref.name)) ref.name = renamed.get(ref.name);
    }
  }
  for (const v of pod.volumes ?? []) if (v.configMap && renamed.has(v.configMap.name)) v.configMap.name = renamed.get(v.configMap.name);
}
process.stdout.write(objs.map((o) => YAML.stringify(o, { lineWidth: 0 })).join('---\n'));

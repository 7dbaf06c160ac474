// Compares two rendered YAML streams as sets of objects (apiVersion/kind/namespace/name),
// ignoring document order and the order of lists of named items (containers, env, ...).
// usage: node same-objects.mjs a.yaml b.yaml
import fs from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import YAML from 'yaml';

const load = (f) => {
  const m = new Map();
  for (const d of YAML.parseAllDocuments(fs.readFileSync(f, 'utf8'))) {
    const o = d.toJS();
    if (o) m.set(`${o.apiVersion}/${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`, normalize(o));
  }
  return m;
};
function normalize(v) {
  if (Array.isArray(v)) {
    const items = v.map(normalize);
    return items.every((i) => i && typeof i === 'object' && typeof i.name === 'string')
      ? items.sort((a, b) => a.name.localeCompare(b.name))
      : items;
  }
  if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, normalize(v[k])]));
  return v;
}
const [a, b] = [load(process.argv[2]), load(process.argv[3])];
let diff = 0;
for (const k of new Set([...a.keys(), ...b.keys()])) {
  if (!a.has(k) || !b.has(k)) {
    console.log(`only in ${a.has(k) ? process.argv[2] : process.argv[3]}: ${k}`);
    diff++;
  } else if (!isDeepStrictEqual(a.get(k), b.get(k))) {
    console.log(`differs: ${k}\n--- ${process.argv[2]}\n${YAML.stringify(a.get(k))}--- ${process.argv[3]}\n${YAML.stringify(b.get(k))}`);
    diff++;
  }
}
console.log(`  ${a.size} objects compared, ${diff} differ`);
process.exit(diff ? 1 : 0);

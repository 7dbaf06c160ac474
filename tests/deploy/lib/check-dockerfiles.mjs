// Checks src/main/docker/Dockerfile.*: syntax and instruction-level problems with
// dockerfile-utils (the validator behind the VS Code Docker language server), then Recon's own
// rules: pinned base image, non-root final user, DJL offline and cache settings, the copies
// the roles need. Nothing here builds an image (there is no Docker engine to build with).
import fs from 'node:fs';
import path from 'node:path';
import { validate } from 'dockerfile-utils';
import { REPO, Report } from './report.mjs';

const report = new Report('dockerfiles');
const dir = path.join(REPO, 'src/main/docker');

/** Instructions as [KEYWORD, args] with line continuations joined and comments dropped. */
function instructions(text) {
  const out = [];
  let cur = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!cur && (line.startsWith('#') || !line)) continue;
    if (line.startsWith('#')) continue; // comment inside a continued instruction
    if (line.endsWith('\\')) {
      cur += line.slice(0, -1) + ' ';
      continue;
    }
    cur += line;
    const m = cur.match(/^(\S+)\s*(.*)$/s);
    out.push([m[1].toUpperCase(), m[2]]);
    cur = '';
  }
  return out;
}

/** ENV values set by the Dockerfile, last one wins (handles KEY=VALUE lists and quotes). */
function envOf(ins) {
  const env = {};
  for (const [k, args] of ins) {
    if (k !== 'ENV') continue;
    for (const m of args.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("([^"]*)"|'([^']*)'|(\S*))/g)) {
      env[m[1]] = m[3] ?? m[4] ?? m[5];
    }
  }
  return env;
}

const files = ['Dockerfile.jvm', 'Dockerfile.native'];
const parsed = {};
for (const f of files) {
  const p = path.join(dir, f);
  if (!report.expect(fs.existsSync(p), `src/main/docker/${f} is missing`)) continue;
  const text = fs.readFileSync(p, 'utf8');
  for (const d of validate(text)) {
    // severity 1 = error, 2 = warning: both fail, a Dockerfile should lint clean.
    report.fail(`src/main/docker/${f}:${d.range.start.line + 1}: ${d.message}`);
  }
  const ins = instructions(text);
  parsed[f] = { text, ins, env: envOf(ins) };

  const froms = ins.filter(([k]) => k === 'FROM').map(([, a]) => a.split(/\s+/)[0]);
  for (const img of froms) {
    report.expect(/:[\w][\w.-]*$|@sha256:/.test(img) && !/:latest$/.test(img), `src/main/docker/${f}: base image ${img} is not pinned to a tag`);
  }
  const users = ins.filter(([k]) => k === 'USER').map(([, a]) => a.trim());
  const last = users.at(-1);
  report.expect(last && !/^(root|0)(:.*)?$/.test(last), `src/main/docker/${f}: the final USER must be non-root (is ${last ?? 'unset'})`);
  report.expect(ins.some(([k, a]) => k === 'EXPOSE' && /\b8080\b/.test(a)), `src/main/docker/${f}: does not EXPOSE 8080`);

  const copies = ins.filter(([k]) => k === 'COPY').map(([, a]) => a.split(/\s+/).filter((w) => !w.startsWith('--')));
  const sources = copies.flatMap((c) => c.slice(0, -1));
  for (const need of ['models/', 'tests/data/telemetry/']) {
    report.expect(sources.includes(need), `src/main/docker/${f}: does not COPY ${need}`);
  }
  for (const s of sources) {
    const p2 = path.join(REPO, s.replace(/\*.*$/, ''));
    if (!fs.existsSync(p2)) report.note(`${f}: COPY source ${s} is not in this checkout (built or added before docker build)`);
  }
  report.expect(parsed[f].env.DJL_CACHE_DIR, `src/main/docker/${f}: DJL_CACHE_DIR is not set`);
}

// JVM image specifics.
const jvm = parsed['Dockerfile.jvm'];
if (jvm) {
  const opts = `${jvm.env.JAVA_OPTS ?? ''} ${jvm.env.JAVA_OPTS_APPEND ?? ''}`;
  report.expect(/-Dai\.djl\.offline=true\b/.test(opts), 'Dockerfile.jvm: JAVA_OPTS(_APPEND) lacks -Dai.djl.offline=true');
  // DJL copies parameters and inputs into direct buffers freed only at GC: they need a bound.
  report.expect(/-XX:MaxDirectMemorySize=\d+[kmg]?\b/.test(opts), 'Dockerfile.jvm: JAVA_OPTS(_APPEND) lacks -XX:MaxDirectMemorySize');
  for (const s of ['target/quarkus-app/lib/', 'target/quarkus-app/*.jar', 'target/quarkus-app/app/', 'target/quarkus-app/quarkus/']) {
    report.expect(jvm.ins.some(([k, a]) => k === 'COPY' && a.includes(s)), `Dockerfile.jvm: does not COPY ${s}`);
  }
  report.expect(jvm.env.JAVA_APP_JAR === '/deployments/quarkus-run.jar', 'Dockerfile.jvm: JAVA_APP_JAR is not /deployments/quarkus-run.jar');
  // The cache dir must be created and handed to the runtime user before USER switches.
  report.expect(new RegExp(`mkdir -p ${jvm.env.DJL_CACHE_DIR}`).test(jvm.text), 'Dockerfile.jvm: DJL_CACHE_DIR is not created in the image');
}

// The native file must say plainly that it is unverified, and pass the same offline flag.
const nat = parsed['Dockerfile.native'];
if (nat) {
  report.expect(/NOT VERIFIED/.test(nat.text), 'Dockerfile.native: must state that the native build is NOT VERIFIED');
  report.expect(/-Dai\.djl\.offline=true/.test(nat.text), 'Dockerfile.native: lacks -Dai.djl.offline=true');
  report.expect(nat.env.RECON_KAFKA_EMBEDDED_ENABLED === 'false', 'Dockerfile.native: must disable the embedded Kafka broker');
}

// Same in-image paths in both images' consumers: compose and k8s read these from here.
if (jvm) {
  fs.mkdirSync(path.join(REPO, 'tests/deploy/.tools'), { recursive: true });
  fs.writeFileSync(path.join(REPO, 'tests/deploy/.tools/image-env.json'), JSON.stringify(jvm.env, null, 2));
}
report.note(`${Object.keys(parsed).length} Dockerfiles linted`);
report.finish();

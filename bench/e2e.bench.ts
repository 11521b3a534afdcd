/**
 * The end-to-end suite (issue 8): P1 ingest throughput, P2 connections, P3 detection latency, each
 * against peers measured in the same run, with the profile of where Vigil's time went. Writes
 * `bench/results/latest.json` and `latest.md` and prints the Markdown. `VIGIL_BENCH_E2E_SECONDS`
 * sets each measured window (default 5).
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadOrCreateTlsMaterial } from '@vigil/hub';
import { runIngest, type SuiteContext } from './e2e/p1-ingest.js';
import { runConnections, sessionCeiling } from './e2e/p2-connections.js';
import { runLatency } from './e2e/p3-latency.js';
import { writeReport, type Section } from './e2e/report.js';
import { selfCheck } from './e2e/self-check.js';
import { prepareRegistry } from './e2e/targets/index.js';

const startedAt = new Date();
const checked = selfCheck();
process.stdout.write(
  `  self-check: stamped messages decode; events per message ${JSON.stringify(checked.eventsPerMessage)}\n`,
);
const seconds = Number(process.env.VIGIL_BENCH_E2E_SECONDS ?? 5);
const workDir = mkdtempSync(join(tmpdir(), 'vigil-bench-e2e-'));
const profileDir = join(workDir, 'profiles');
mkdirSync(profileDir);
/** `VIGIL_BENCH_E2E_ONLY=p2,p3` runs a subset (P3 then paces against VIGIL_BENCH_E2E_P1_RATE). */
const only = (process.env.VIGIL_BENCH_E2E_ONLY ?? 'p1,p2,p3').split(',');
// One group serves every benchmark: P1 uses its first devices, P2 all of them.
const registry = await prepareRegistry([
  { group: 'load', count: only.includes('p2') ? sessionCeiling() : 256 },
  { group: 'probe', count: 400 },
]);
process.stdout.write(`  registered devices through the registry in ${registry.seconds.toFixed(1)} s\n`);
try {
  const material = await loadOrCreateTlsMaterial({
    dataDir: workDir,
    hostNames: ['localhost'],
    configured: null,
  });
  const context: SuiteContext = {
    workDir,
    registryDir: registry.dir,
    tls: {
      certificatePem: material.certificatePem,
      privateKeyPem: material.privateKeyPem,
      caCertificatePem: material.caCertificatePem,
    },
    profileDir,
    seconds,
  };
  const sections: Section[] = [];
  let maxRate = Number(process.env.VIGIL_BENCH_E2E_P1_RATE ?? 150);
  if (only.includes('p1')) {
    const ingest = await runIngest(context);
    sections.push(ingest.section);
    maxRate = ingest.vigilProcessedRate;
  }
  if (only.includes('p2')) sections.push(await runConnections(context, 75));
  if (only.includes('p3')) sections.push(await runLatency(context, maxRate));
  const markdown = writeReport(sections, startedAt, (Date.now() - startedAt.getTime()) / 1000);
  process.stdout.write(`\n${markdown}\n`);
} finally {
  rmSync(registry.dir, { recursive: true, force: true });
  rmSync(workDir, { recursive: true, force: true });
}

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
import { runIngest, INGEST_DEVICES, type SuiteContext } from './e2e/p1-ingest.js';
import { writeReport, type Section } from './e2e/report.js';
import { prepareRegistry } from './e2e/targets/index.js';

const startedAt = new Date();
const seconds = Number(process.env.VIGIL_BENCH_E2E_SECONDS ?? 5);
const workDir = mkdtempSync(join(tmpdir(), 'vigil-bench-e2e-'));
const profileDir = join(workDir, 'profiles');
mkdirSync(profileDir);
const registry = await prepareRegistry([{ group: 'load', count: INGEST_DEVICES }]);
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
  const ingest = await runIngest(context);
  sections.push(ingest.section);
  const markdown = writeReport(sections, startedAt, (Date.now() - startedAt.getTime()) / 1000);
  process.stdout.write(`\n${markdown}\n`);
} finally {
  rmSync(registry.dir, { recursive: true, force: true });
  rmSync(workDir, { recursive: true, force: true });
}

/**
 * The suite's report: tables (printed as Markdown and written to `bench/results/latest.md`) and the
 * raw figures (`bench/results/latest.json`), with the machine they were measured on.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import type { ProfileSummary } from './profile.js';

/** One goal of the issue and how this run fared against it. */
export interface Goal {
  readonly goal: string;
  readonly measured: string;
  readonly met: boolean;
}

/** One benchmark's table, its observations and its raw figures. */
export interface Section {
  readonly title: string;
  readonly goals: readonly Goal[];
  readonly intro: string;
  readonly headers: readonly string[];
  readonly rows: readonly (readonly string[])[];
  /** What the profile showed and what would make it faster. */
  readonly observations: readonly string[];
  readonly profiles: Readonly<Record<string, ProfileSummary>>;
  readonly data: Readonly<Record<string, unknown>>;
}

/** Results directory (gitignored). */
export const RESULTS_DIR = join(import.meta.dirname, '..', 'results');

/** `12,345`. */
export const count = (n: number): string => Math.round(n).toLocaleString('en');
/** `0.42×`, or `–` when the peer is missing. */
export const ratio = (n: number, peer: number | undefined): string =>
  peer === undefined || peer === 0 || !Number.isFinite(n / peer)
    ? '–'
    : `${(n / peer).toFixed(n / peer < 0.1 ? 3 : 2)}×`;

function table(section: Section): string {
  const line = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`;
  return [line(section.headers), line(section.headers.map(() => '---')), ...section.rows.map(line)].join(
    '\n',
  );
}

function profileLines(name: string, profile: ProfileSummary): string {
  const top = profile.top
    .slice(0, 8)
    .map((entry) => `${(entry.share * 100).toFixed(1)}% ${entry.name}`)
    .join('; ');
  return `- profile of ${name} (busy ${(profile.busy * 100).toFixed(0)}% of the window, GC ${(profile.gc * 100).toFixed(1)}% of busy): ${top}`;
}

/** Renders one section as Markdown. */
export function renderSection(section: Section): string {
  return [
    `### ${section.title}`,
    '',
    section.intro,
    '',
    table(section),
    '',
    ...section.observations.map((o) => `- ${o}`),
    ...Object.entries(section.profiles).map(([name, p]) => profileLines(name, p)),
    '',
  ].join('\n');
}

/** The machine, as far as it matters for reading the figures. */
export function machine(): Record<string, unknown> {
  return {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    loadAverage: loadavg().map((l) => Number(l.toFixed(2))),
  };
}

/** Writes latest.json and latest.md; returns the Markdown. */
export function writeReport(sections: readonly Section[], startedAt: Date, seconds: number): string {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const host = machine();
  const markdown = [
    `## Vigil end-to-end benchmarks (${startedAt.toISOString()}, ${Math.round(seconds)} s)`,
    '',
    `Machine: ${String(host.cpus)} × ${String(host.cpuModel)}, ${String(host.memoryGiB)} GiB, Node ${String(host.node)}, load average at the end ${JSON.stringify(host.loadAverage)}. Figures that depend on the machine are given as ratios against a peer measured in the same run.`,
    '',
    '### Goals',
    '',
    '| goal | measured in this run | met |',
    '| --- | --- | --- |',
    ...sections.flatMap((section) =>
      section.goals.map((g) => `| ${g.goal} | ${g.measured} | ${g.met ? 'yes' : '**no**'} |`),
    ),
    '',
    ...sections.map(renderSection),
  ].join('\n');
  writeFileSync(join(RESULTS_DIR, 'latest.md'), markdown);
  writeFileSync(
    join(RESULTS_DIR, 'latest.json'),
    JSON.stringify({ startedAt: startedAt.toISOString(), seconds, machine: host, sections }, null, 2),
  );
  return markdown;
}

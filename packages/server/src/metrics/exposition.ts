/** Whether a metric only grows (counter) or goes up and down (gauge). */
export type MetricType = 'counter' | 'gauge';

/** One sample of a family: its labels (possibly none) and value. */
export interface MetricSample {
  readonly labels?: Readonly<Record<string, string>>;
  readonly value: number;
}

/** A metric family as the text format groups it: one HELP, one TYPE, its samples. */
export interface MetricFamily {
  readonly name: string;
  readonly help: string;
  readonly type: MetricType;
  readonly samples: readonly MetricSample[];
}

/** The content type of the Prometheus text exposition format this module writes. */
export const EXPOSITION_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

// Text format 0.0.4: HELP escapes backslash and newline; label values also escape the double quote.
const escapeHelp = (text: string): string => text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
const escapeLabel = (text: string): string =>
  text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');

function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}

/**
 * Writes metric families in the Prometheus text exposition format 0.0.4. Throws on a metric or label
 * name the format does not allow (a programming error, caught by the tests, never by a scrape).
 */
export function formatExposition(families: readonly MetricFamily[]): string {
  const lines: string[] = [];
  for (const family of families) {
    if (!NAME.test(family.name)) throw new Error(`invalid metric name ${JSON.stringify(family.name)}`);
    lines.push(`# HELP ${family.name} ${escapeHelp(family.help)}`, `# TYPE ${family.name} ${family.type}`);
    for (const sample of family.samples) {
      const labels = Object.entries(sample.labels ?? {});
      for (const [label] of labels) {
        if (!LABEL.test(label) || label.startsWith('__'))
          throw new Error(`invalid label name ${JSON.stringify(label)} on ${family.name}`);
      }
      const labelText =
        labels.length === 0
          ? ''
          : `{${labels.map(([label, value]) => `${label}="${escapeLabel(value)}"`).join(',')}}`;
      lines.push(`${family.name}${labelText} ${formatValue(sample.value)}`);
    }
  }
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}

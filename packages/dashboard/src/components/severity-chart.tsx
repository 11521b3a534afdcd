import type { ReactNode } from 'react';
import type { Posture } from '@vigil/api-client';

const SEVERITIES = ['high', 'medium', 'low'] as const;
const WIDTH = 720;
const HEIGHT = 220;
const MARGIN = { top: 12, right: 12, bottom: 28, left: 36 };

/** Alerts raised per hour over the last 24 hours, stacked by severity: an SVG bar chart. */
export function SeverityChart({ timeline }: { readonly timeline: Posture['timeline'] }): ReactNode {
  const totals = timeline.map((bucket) => bucket.high + bucket.medium + bucket.low);
  const max = Math.max(1, ...totals);
  const ticks = niceTicks(max);
  const top = ticks.at(-1) ?? max;
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const band = plotWidth / Math.max(1, timeline.length);
  const y = (value: number) => MARGIN.top + plotHeight - (value / top) * plotHeight;
  return (
    <figure className="chart">
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        role="img"
        aria-label="Alerts per hour by severity, last 24 hours"
      >
        {ticks.map((tick) => (
          <g key={tick}>
            <line x1={MARGIN.left} x2={WIDTH - MARGIN.right} y1={y(tick)} y2={y(tick)} className="grid" />
            <text x={MARGIN.left - 6} y={y(tick) + 4} textAnchor="end" className="axis">
              {tick}
            </text>
          </g>
        ))}
        {timeline.map((bucket, index) => {
          let base = 0;
          const x = MARGIN.left + index * band + band * 0.15;
          return (
            <g key={bucket.hour} data-testid="chart-bar">
              <title>{`${new Date(bucket.hour).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}: ${bucket.high} high, ${bucket.medium} medium, ${bucket.low} low`}</title>
              {SEVERITIES.map((severity) => {
                const value = bucket[severity];
                const rect =
                  value === 0 ? null : (
                    <rect
                      key={severity}
                      x={x}
                      width={band * 0.7}
                      y={y(base + value)}
                      height={y(base) - y(base + value)}
                      className={`bar severity-${severity}`}
                    />
                  );
                base += value;
                return rect;
              })}
              {index % 4 === 0 && (
                <text x={x + band * 0.35} y={HEIGHT - 8} textAnchor="middle" className="axis">
                  {new Date(bucket.hour).toLocaleTimeString([], { hour: '2-digit' })}
                </text>
              )}
            </g>
          );
        })}
      </svg>
      <figcaption>
        {SEVERITIES.map((severity) => (
          <span key={severity} className="legend">
            <span className={`swatch severity-${severity}`} /> {severity}
          </span>
        ))}
      </figcaption>
    </figure>
  );
}

function niceTicks(max: number): number[] {
  const step =
    max <= 5 ? 1 : max <= 10 ? 2 : max <= 25 ? 5 : max <= 50 ? 10 : Math.pow(10, Math.floor(Math.log10(max)));
  const ticks: number[] = [];
  for (let value = 0; value < max + step; value += step) ticks.push(value);
  return ticks;
}

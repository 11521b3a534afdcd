import type { ReactNode } from 'react';

const WIDTH = 720;
const HEIGHT = 180;
const MARGIN = { top: 12, right: 12, bottom: 28, left: 36 };

/** One ConnectionCreate event reduced to what the chart needs. */
export interface FlowSample {
  readonly at: number;
  /** Connections the event reported (its `flows`, plus any the store left out). */
  readonly flows: number;
}

/**
 * Network flows the device reported over the last `minutes`, one bar per minute: an SVG bar chart of
 * its ConnectionCreate events, the same count the ActiveConnectionsNotInAllowedRange rule uses.
 */
export function FlowChart(props: {
  readonly samples: readonly FlowSample[];
  readonly now: number;
  readonly minutes: number;
}): ReactNode {
  const bucketMs = 60_000;
  const end = Math.ceil(props.now / bucketMs) * bucketMs;
  const start = end - props.minutes * bucketMs;
  const counts = new Array<number>(props.minutes).fill(0);
  for (const sample of props.samples) {
    const index = Math.floor((sample.at - start) / bucketMs);
    if (index >= 0 && index < counts.length) counts[index] = (counts[index] ?? 0) + sample.flows;
  }
  const max = Math.max(1, ...counts);
  const step = niceStep(max);
  const top = Math.ceil(max / step) * step;
  const ticks = Array.from({ length: Math.round(top / step) + 1 }, (_, index) => index * step);
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const band = plotWidth / props.minutes;
  const y = (value: number) => MARGIN.top + plotHeight - (value / top) * plotHeight;
  const label = (at: number) => new Date(at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  return (
    <figure className="chart">
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        role="img"
        aria-label={`Network flows per minute, last ${props.minutes} minutes`}
      >
        {ticks.map((tick) => (
          <g key={tick}>
            <line x1={MARGIN.left} x2={WIDTH - MARGIN.right} y1={y(tick)} y2={y(tick)} className="grid" />
            <text x={MARGIN.left - 6} y={y(tick) + 4} textAnchor="end" className="axis">
              {tick}
            </text>
          </g>
        ))}
        {counts.map((count, index) => {
          const x = MARGIN.left + index * band;
          const at = start + index * bucketMs;
          return (
            <g key={at} data-testid="flow-bucket">
              <title>{`${label(at)}: ${count} connection${count === 1 ? '' : 's'}`}</title>
              {count > 0 && (
                <rect
                  x={x + band * 0.1}
                  width={band * 0.8}
                  y={y(count)}
                  height={y(0) - y(count)}
                  className="bar flows"
                />
              )}
              {index % 10 === 0 && (
                <text x={x + band / 2} y={HEIGHT - 8} textAnchor="middle" className="axis">
                  {label(at)}
                </text>
              )}
            </g>
          );
        })}
      </svg>
      <figcaption>
        <span className="legend">
          <span className="swatch flows" /> connections opened per minute
        </span>
      </figcaption>
    </figure>
  );
}

/** A tick step giving at most about six grid lines: 1, 2, 5, 10, 20, 50, … */
function niceStep(max: number): number {
  for (let magnitude = 1; ; magnitude *= 10) {
    for (const step of [1, 2, 5]) if (max / (step * magnitude) <= 6) return step * magnitude;
  }
}

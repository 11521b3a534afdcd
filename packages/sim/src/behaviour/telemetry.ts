import type { Random } from '../random.js';
import type { DeviceBehaviour } from './behaviour.js';

/** A plain sensor with no security agent: one JSON reading per tick, like most devices in a fleet. */
export function telemetryBehaviour(random: Random): DeviceBehaviour {
  let temperature = 20 + random.next() * 5;
  return {
    tick(now) {
      temperature += (random.next() - 0.5) * 0.4;
      const reading = {
        temperature: Math.round(temperature * 10) / 10,
        humidity: random.int(35, 60),
        at: now,
      };
      return [
        {
          body: new TextEncoder().encode(JSON.stringify(reading)),
          properties: { system: { contentType: 'application/json', contentEncoding: 'utf-8' } },
        },
      ];
    },
  };
}

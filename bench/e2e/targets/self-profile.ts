/**
 * CPU profiling of a target from inside, over the inspector: started and stopped around the
 * measured window only, so start-up, module loading and registration do not dilute the picture.
 */
import { Session } from 'node:inspector/promises';
import { writeFileSync } from 'node:fs';

let session: Session | undefined;

/** Starts sampling (every 200 µs). */
export async function startProfile(): Promise<void> {
  session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 200 });
  await session.post('Profiler.start');
}

/** Stops sampling and writes the `.cpuprofile` to `file`. */
export async function stopProfile(file: string): Promise<void> {
  if (session === undefined) return;
  const { profile } = await session.post('Profiler.stop');
  writeFileSync(file, JSON.stringify(profile));
  session.disconnect();
  session = undefined;
}

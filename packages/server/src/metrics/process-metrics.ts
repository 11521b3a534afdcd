import type { MetricFamily } from './exposition.js';

const START_TIME_SECONDS = Math.floor(Date.now() / 1000 - process.uptime());

/** The process's resident memory, CPU time and heap, named as Prometheus' own client libraries do. */
export function processMetrics(): MetricFamily[] {
  const cpu = process.cpuUsage();
  const memory = process.memoryUsage();
  return [
    {
      name: 'process_cpu_seconds_total',
      help: 'User and system CPU time spent, in seconds.',
      type: 'counter',
      samples: [{ value: (cpu.user + cpu.system) / 1e6 }],
    },
    {
      name: 'process_resident_memory_bytes',
      help: 'Resident memory size in bytes.',
      type: 'gauge',
      samples: [{ value: memory.rss }],
    },
    {
      name: 'process_start_time_seconds',
      help: 'Start time of the process since the Unix epoch, in seconds.',
      type: 'gauge',
      samples: [{ value: START_TIME_SECONDS }],
    },
    {
      name: 'nodejs_heap_used_bytes',
      help: 'V8 heap in use, in bytes.',
      type: 'gauge',
      samples: [{ value: memory.heapUsed }],
    },
  ];
}

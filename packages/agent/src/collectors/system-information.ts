/**
 * The SystemInformation collector (reference/azure-security-module.md §2.2): operating system,
 * kernel (uname through `node:os`), host name, memory, CPU and uptime.
 *
 * Memory follows the C agent's `sysinfo(2)` reading: physical = MemTotal/MemFree; virtual = physical
 * plus swap (Linux has no Windows-style commit figure, and this is what "virtual" meant there).
 */
import type { SystemInformation } from '@vigil/protocol';
import { bootDeviceFromCmdline, parseMeminfo, parseOsRelease } from '../linux/index.js';
import type { Collector, CollectorError } from './collector.js';
import { isNotFound, toCollectorError } from './collector-errors.js';
import { eventHeader } from './event-header.js';

/** The collector's id in configuration. */
export const SYSTEM_INFORMATION_ID = 'system-information';

/** Creates the system-information collector. */
export function createSystemInformationCollector(): Collector {
  return {
    id: SYSTEM_INFORMATION_ID,
    platforms: ['linux'],
    priority: 'Low',
    description:
      'OS from /etc/os-release, kernel and CPU from uname (node:os), memory from /proc/meminfo, BIOS from /sys/class/dmi/id, boot device from /proc/cmdline.',
    async collect(context) {
      const errors: CollectorError[] = [];
      const read = async (path: string, optional = false): Promise<string | undefined> => {
        try {
          return await context.system.readFile(path);
        } catch (error) {
          if (!(optional && isNotFound(error)))
            errors.push(toCollectorError(SYSTEM_INFORMATION_ID, error, path));
          return undefined;
        }
      };
      const [osRelease, meminfo, bios, cmdline] = await Promise.all([
        read('/etc/os-release'),
        read('/proc/meminfo'),
        read('/sys/class/dmi/id/bios_version', true),
        read('/proc/cmdline', true),
      ]);
      const host = context.system.host();
      const os = osRelease === undefined ? {} : parseOsRelease(osRelease);
      const mem = meminfo === undefined ? {} : parseMeminfo(meminfo);
      const totalKb = mem.MemTotal ?? Math.round(host.totalMemoryBytes / 1024);
      const freeKb = mem.MemFree ?? Math.round(host.freeMemoryBytes / 1024);
      const bootDevice = cmdline === undefined ? undefined : bootDeviceFromCmdline(cmdline);
      const info: SystemInformation = {
        osName: os.NAME ?? host.osType,
        ...(os.VERSION_ID === undefined && os.VERSION === undefined
          ? {}
          : { osVersion: os.VERSION ?? os.VERSION_ID }),
        ...(os.ID === undefined ? {} : { osVendor: os.ID }),
        osArchitecture: host.machine,
        hostName: host.hostName,
        ...(bios === undefined ? {} : { biosVersion: bios.trim() }),
        ...(bootDevice === undefined ? {} : { bootDevice }),
        totalPhysicalMemoryKb: totalKb,
        freePhysicalMemoryKb: freeKb,
        totalVirtualMemoryKb: totalKb + (mem.SwapTotal ?? 0),
        freeVirtualMemoryKb: freeKb + (mem.SwapFree ?? 0),
        osInfo: os.PRETTY_NAME ?? `${host.osType} ${host.osRelease}`,
        kernelInfo: `${host.osType} ${host.osRelease} ${host.osVersion}`,
        hardwareInfo: `${host.cpuCount} x ${host.cpuModel}`,
        extraDetails: {
          UptimeSeconds: String(Math.floor(host.uptimeSeconds)),
          KernelRelease: host.osRelease,
          CpuCount: String(host.cpuCount),
          CpuModel: host.cpuModel,
          LoadAverage: host.loadAverage.map((n) => n.toFixed(2)).join(' '),
          ...(mem.MemAvailable === undefined
            ? {}
            : { AvailablePhysicalMemoryInKB: String(mem.MemAvailable) }),
        },
      };
      const header = eventHeader(context, 'SystemInformation', 'Periodic');
      return { events: [{ ...header, kind: 'system-information', info }], errors };
    },
  };
}

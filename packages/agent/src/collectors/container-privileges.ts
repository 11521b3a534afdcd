/**
 * What makes a container (or an IoT Edge module, which is one) dangerous to its host, shared by the
 * containers and Edge deployment collectors: privileged mode, the host's network or process
 * namespace, powerful added capabilities, writable or sensitive host paths mounted in, ports
 * published on every interface, logging turned off. These are the predicates the reference's Edge
 * recommendations describe (reference/azure-security-module.md §3: `IoT_PrivilegedDockerOptions`,
 * `IoT_EdgeLoggingOptions`; alerts "Privileged container detected", "Exposed Docker daemon").
 *
 * The findings travel as OSBaseline checks: @vigil/protocol has no container event, the reference
 * says the Edge module's container payloads were never published (§3, §6 item 11), and JSON 1.0
 * allows no new event names but lets every payload item carry string `ExtraDetails` (§2.1) — so each
 * container is one check (`Result` Fail when it has a finding) with its facts in ExtraDetails.
 */
import type { BaselineCheck, BaselineSeverity } from '@vigil/protocol';

/** A host path mounted into a container. */
export interface HostPathMount {
  readonly source: string;
  readonly destination: string;
  readonly readWrite: boolean;
}

/** The privilege-relevant settings of one container or module. */
export interface ContainerPrivileges {
  readonly privileged: boolean;
  readonly networkMode: string;
  readonly pidMode: string;
  readonly capAdd: readonly string[];
  readonly mounts: readonly HostPathMount[];
  /** Published ports as `hostIp:hostPort->port/proto`. */
  readonly publishedPorts: readonly string[];
  /** Docker log driver, when known. */
  readonly logDriver?: string;
}

/** One reason a container is risky. */
export interface PrivilegeFinding {
  readonly finding: string;
  readonly severity: BaselineSeverity;
  readonly text: string;
}

/**
 * Host paths whose presence in a container hands it the host: the root, configuration and
 * credentials, the kernel's pseudo-file systems and devices, and the container runtimes' sockets.
 */
const SENSITIVE_PATHS = [
  '/etc',
  '/root',
  '/home',
  '/boot',
  '/proc',
  '/sys',
  '/dev',
  '/var/run/docker.sock',
  '/run/docker.sock',
  '/var/run/containerd',
  '/run/containerd',
  '/var/lib/docker',
  '/var/lib/kubelet',
  '/var/lib/aziot',
  '/etc/aziot',
  '/usr',
  '/lib',
  '/bin',
  '/sbin',
];

/** Capabilities that amount to root on the host (or close to it). */
const DANGEROUS_CAPABILITIES = new Set([
  'ALL',
  'SYS_ADMIN',
  'SYS_MODULE',
  'SYS_PTRACE',
  'SYS_RAWIO',
  'NET_ADMIN',
  'DAC_READ_SEARCH',
  'BPF',
]);

/** True when mounting `source` gives a container something of the host worth protecting. */
export function isSensitiveHostPath(source: string): boolean {
  const path = source.replace(/\/+$/, '') || '/';
  if (path === '/' || path === '/var/run' || path === '/run' || path === '/var') return true;
  return SENSITIVE_PATHS.some((p) => path === p || path.startsWith(`${p}/`));
}

const SEVERITY_ORDER: readonly BaselineSeverity[] = ['informational', 'warning', 'important', 'critical'];

/** The findings of one container's settings, most severe first. */
export function assessPrivileges(p: ContainerPrivileges): PrivilegeFinding[] {
  const out: PrivilegeFinding[] = [];
  if (p.privileged) {
    out.push({
      finding: 'privileged',
      severity: 'critical',
      text: 'runs privileged (every device and capability of the host)',
    });
  }
  if (p.networkMode === 'host') {
    out.push({ finding: 'host-network', severity: 'important', text: "shares the host's network stack" });
  }
  if (p.pidMode === 'host') {
    out.push({ finding: 'host-pid', severity: 'important', text: "shares the host's process table" });
  }
  const caps = p.capAdd
    .map((c) => c.toUpperCase().replace(/^CAP_/, ''))
    .filter((c) => DANGEROUS_CAPABILITIES.has(c));
  if (caps.length > 0) {
    out.push({
      finding: 'capabilities',
      severity: 'important',
      text: `adds capabilities ${caps.join(', ')}`,
    });
  }
  for (const m of p.mounts.filter((x) => isSensitiveHostPath(x.source))) {
    const socket = m.source.endsWith('docker.sock') || m.source.includes('containerd');
    out.push({
      finding: 'sensitive-mount',
      severity: socket || m.source === '/' || m.readWrite ? 'critical' : 'important',
      text: `mounts host ${m.source} at ${m.destination}${m.readWrite ? ' read-write' : ' read-only'}`,
    });
  }
  const open = p.publishedPorts.filter((port) => /^(0\.0\.0\.0|::|\[::\]|):/.test(port));
  if (open.length > 0) {
    out.push({
      finding: 'published-ports',
      severity: 'warning',
      text: `publishes ${open.join(', ')} on every interface`,
    });
  }
  if (p.logDriver === 'none') {
    out.push({
      finding: 'logging-disabled',
      severity: 'warning',
      text: 'has logging turned off (log driver none)',
    });
  }
  return out.sort((a, b) => SEVERITY_ORDER.indexOf(b.severity) - SEVERITY_ORDER.indexOf(a.severity));
}

/** Options of {@link privilegeCheck}. */
export interface PrivilegeCheckInput {
  readonly checkId: string;
  /** `container "web" (nginx:1.25)`. */
  readonly subject: string;
  readonly remediation: string;
  readonly privileges: ContainerPrivileges;
  /** Facts of the subject for ExtraDetails (`ContainerId`, `Image`…). */
  readonly details: Readonly<Record<string, string>>;
}

/** One OSBaseline check for a container or module: Fail with its findings, or Pass. */
export function privilegeCheck(input: PrivilegeCheckInput): BaselineCheck {
  const p = input.privileges;
  const findings = assessPrivileges(p);
  const sensitive = p.mounts
    .filter((m) => isSensitiveHostPath(m.source))
    .map((m) => `${m.source}:${m.destination}`);
  return {
    checkId: input.checkId,
    result: findings.length > 0 ? 'fail' : 'pass',
    severity: findings[0]?.severity ?? 'informational',
    description:
      findings.length > 0
        ? `${input.subject} ${findings.map((f) => f.text).join('; ')}`
        : `${input.subject} runs without host privileges`,
    remediation: input.remediation,
    extraDetails: {
      ...input.details,
      Privileged: String(p.privileged),
      NetworkMode: p.networkMode || 'default',
      PidMode: p.pidMode || 'private',
      CapAdd: p.capAdd.join(';'),
      SensitiveMounts: sensitive.join(';'),
      PublishedPorts: p.publishedPorts.join(';'),
      Findings: findings.map((f) => f.finding).join(';'),
    },
  };
}

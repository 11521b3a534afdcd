/**
 * Public door of the Linux folder: access to the real machine, and the readers and parsers of its
 * files and tools (`/proc`, `/etc`, logs, `ss`, `nft`, `iptables-save`, `sshd_config`).
 */
export { createNodeSystem } from './node-system.js';
export { isMissing, parseError } from './parse-error.js';
export { decodeIpv4Hex, decodeIpv6Hex, decodePortHex, formatIpv6, isUnspecified } from './inet-address.js';
export {
  isListening,
  parseSocketTable,
  SOCKET_TABLES,
  STATE_CLOSE,
  STATE_LISTEN,
  TCP_STATES,
  type SocketEntry,
  type SocketTable,
  type SocketTableProblem,
  type SocketTableProtocol,
} from './proc-net.js';
export {
  flowKey,
  parseSsSockets,
  parseSsTcpBytes,
  splitSsEndpoint,
  type SsSocket,
  type TcpBytes,
} from './ss-output.js';
export { readSocketOwners, readSockets, readTcpBytes, type ReportProblem } from './socket-reader.js';
export {
  formatCmdline,
  isPidName,
  parseExeLink,
  parseProcStat,
  parseStatusUid,
  socketInode,
  type ProcStat,
} from './proc-process.js';
export { readProcess, readProcesses, type ProcessInfo } from './process-reader.js';
export { parseGroup, parsePasswd, userNamesByUid, type GroupEntry, type PasswdEntry } from './passwd.js';
export { bootDeviceFromCmdline, parseMeminfo, parseOsRelease } from './os-files.js';
export {
  actionOf,
  chainDirection,
  defaultAllowRules,
  parseIptablesSave,
  policyRule,
  splitRuleWords,
} from './firewall-iptables.js';
export { nftValueText, parseNftRuleset } from './firewall-nft.js';
export { parseAuthLog, type AuthLogLogin } from './auth-log.js';
export { encodeUtmp, parseUtmp, UTMP_RECORD_SIZE, UTMP_TYPES, type UtmpRecord } from './utmp.js';
export { parseSshdLine, readSshdConfig, type SshdConfig } from './sshd-config.js';
export {
  createDockerApiClient,
  DEFAULT_DOCKER_SOCKET,
  DockerApiError,
  type DockerApiClient,
  type DockerApiClientOptions,
  type DockerApiErrorCode,
} from './docker-api.js';
export {
  parseContainerInspect,
  parseContainerList,
  type ContainerFacts,
  type ContainerMount,
  type PublishedPort,
} from './docker-containers.js';
export {
  imageRegistry,
  parseEdgeDeployment,
  type EdgeDeployment,
  type EdgeModuleFacts,
  type EdgeRegistry,
  type ModuleBind,
} from './edge-manifest.js';

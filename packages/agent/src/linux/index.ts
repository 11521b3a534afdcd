/**
 * Public door of the Linux folder: access to the real machine and the parsers of its files and tools.
 */
export { createNodeSystem } from './node-system.js';
export { decodeIpv4Hex, decodeIpv6Hex, decodePortHex, formatIpv6 } from './inet-address.js';
export {
  isListening,
  parseSocketTable,
  SOCKET_TABLES,
  TCP_STATES,
  type SocketEntry,
  type SocketTable,
  type SocketTableProtocol,
} from './proc-net.js';
export { parseSsSockets, parseSsTcpBytes, type SsSocket, type TcpBytes } from './ss-output.js';
export { formatCmdline, parseExeLink, parseProcStat, parseStatusUid, type ProcStat } from './proc-process.js';
export { readProcess, readProcesses, type ProcessInfo } from './process-reader.js';
export { parseGroup, parsePasswd, type GroupEntry, type PasswdEntry } from './passwd.js';
export { bootDeviceFromCmdline, parseMeminfo, parseOsRelease } from './os-files.js';
export { defaultAllowRules, parseIptablesSave } from './firewall-iptables.js';
export { parseNftRuleset } from './firewall-nft.js';
export { parseAuthLog, type AuthLogLogin } from './auth-log.js';
export { encodeUtmp, parseUtmp, UTMP_RECORD_SIZE, UTMP_TYPES, type UtmpRecord } from './utmp.js';
export { parseSshdLine, readSshdConfig, type SshdConfig } from './sshd-config.js';

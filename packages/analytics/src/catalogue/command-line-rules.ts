import type { Severity } from '@vigil/storage';

/**
 * A detection over the command lines of started processes (reference/azure-security-module.md §4.2:
 * the built-in agent alerts are command-line analytics over ProcessCreate). Rules are data: each names
 * the patterns it looks for, and the text of `rule` is what the documentation shows users.
 */
export interface CommandLineRule {
  readonly typeId: string;
  readonly title: string;
  readonly severity: Severity;
  /** The rule in words, exactly as documented. */
  readonly rule: string;
  /** The command line matches when any pattern matches (case-insensitive unless the pattern says). */
  readonly patterns: readonly RegExp[];
  readonly remediation: readonly string[];
}

const TEMP_DIRS = String.raw`(?:/tmp|/var/tmp|/dev/shm)/`;

/** The command-line detections. */
export const COMMAND_LINE_RULES: readonly CommandLineRule[] = [
  {
    typeId: 'Vigil_ReverseShell',
    title: 'Reverse shell',
    severity: 'high',
    rule:
      'A shell or scripting runtime whose input/output is redirected to a network socket: bash/sh with ' +
      '/dev/tcp or /dev/udp, nc/ncat/netcat with -e or -c, socat exec:, mkfifo piped into nc, or python/perl/' +
      'ruby/php one-liners that connect a socket and spawn a shell.',
    patterns: [
      /\/dev\/(?:tcp|udp)\/[^\s/]+\/\d+/i,
      /\b(?:nc|ncat|netcat)\b[^|;]*\s-(?:e|c)\s/i,
      /\bsocat\b.*\bexec:/i,
      /\bmkfifo\b.*\|\s*(?:nc|ncat|netcat)\b/i,
      /\b(?:python[23]?|perl|ruby|php)\b.*(?:socket|fsockopen|TCPSocket).*(?:\/bin\/(?:ba)?sh|pty\.spawn|exec)/i,
    ],
    remediation: [
      'Kill the process and its parent, and block the remote address in the evidence.',
      'Find how the command was started (web application, cron, compromised account) and close that path.',
    ],
  },
  {
    typeId: 'Vigil_CryptoMiner',
    title: 'Crypto coin miner',
    severity: 'medium',
    rule:
      'A process associated with crypto mining: a known miner binary (xmrig, cpuminer, minerd, ccminer, ' +
      'cgminer, bfgminer, ethminer, nbminer, t-rex, lolminer) or a stratum pool URL on the command line.',
    patterns: [
      /(?:^|[\s/])(?:xmrig|cpuminer(?:-multi)?|minerd|ccminer|cgminer|bfgminer|ethminer|nbminer|t-rex|lolminer)(?:\s|$)/i,
      /\bstratum\+(?:tcp|ssl|tls):\/\//i,
    ],
    remediation: [
      'Kill the process, delete its binary and look for the persistence that restarts it (cron, systemd, rc files).',
    ],
  },
  {
    typeId: 'Vigil_DisableFirewall',
    title: 'Host firewall disabled',
    severity: 'high',
    rule:
      'A command that disables or flushes the host firewall: ufw disable, systemctl stop|disable|mask ' +
      'firewalld|ufw|nftables|iptables, iptables/ip6tables -F or -P INPUT|FORWARD ACCEPT, nft flush ruleset.',
    patterns: [
      /\bufw\s+disable\b/i,
      /\bsystemctl\s+(?:stop|disable|mask)\s+(?:firewalld|ufw|nftables|iptables|ip6tables)\b/i,
      /\bip6?tables(?:-legacy|-nft)?\s+(?:.*\s)?(?:-F|--flush)\b/i,
      /\bip6?tables(?:-legacy|-nft)?\s+(?:.*\s)?-P\s+(?:INPUT|FORWARD)\s+ACCEPT\b/i,
      /\bnft\s+flush\s+ruleset\b/i,
    ],
    remediation: ['Restore the firewall configuration and find out who ran the command.'],
  },
  {
    typeId: 'Vigil_BashHistoryCleared',
    title: 'Bash history cleared',
    severity: 'low',
    rule:
      'A command that erases shell history: history -c, removing or truncating ~/.bash_history (rm, ' +
      'shred, truncate, > redirection, ln -sf /dev/null), or unsetting HISTFILE.',
    patterns: [
      /\bhistory\s+-c\b/i,
      /\b(?:rm|shred|truncate)\b[^;|&]*\.bash_history/i,
      />\s*\S*\.bash_history/i,
      /\bln\s+-s\w*\s+\/dev\/null\s+\S*\.bash_history/i,
      /\bunset\s+HISTFILE\b/,
    ],
    remediation: ['Attackers clear history to hide what they ran: investigate the session that did it.'],
  },
  {
    typeId: 'Vigil_SuspiciousUseradd',
    title: 'Suspicious use of the useradd command',
    severity: 'medium',
    rule:
      'useradd/adduser/usermod creating or changing an account with UID 0 (-u 0 / -o), adding it to a ' +
      'privileged group (sudo, wheel, root, admin), or giving it a hidden name (starting with a dot).',
    patterns: [
      /\b(?:useradd|adduser|usermod)\b.*\s(?:-u\s*0\b|--uid\s+0\b|-o\b|--non-unique\b)/i,
      /\b(?:useradd|adduser|usermod)\b.*\s(?:-G|--groups|-aG)\s+\S*\b(?:sudo|wheel|root|admin)\b/i,
      /\b(?:useradd|adduser)\b.*\s\.[\w-]+\s*$/i,
    ],
    remediation: ['Verify the account is legitimate; remove it and review sudoers otherwise.'],
  },
  {
    typeId: 'Vigil_NohupFromTemp',
    title: 'Suspicious use of the nohup command',
    severity: 'medium',
    rule: 'nohup starting a program from a temporary directory (/tmp, /var/tmp, /dev/shm).',
    patterns: [new RegExp(String.raw`\bnohup\s+(?:\S+\s+)*?${TEMP_DIRS}`, 'i')],
    remediation: ['Programs rarely run from temporary directories: inspect the binary and its origin.'],
  },
  {
    typeId: 'Vigil_AuditdDisabled',
    title: 'Possible attempt to disable auditd logging',
    severity: 'high',
    rule: 'Stopping or disabling auditd, or deleting all audit rules (auditctl -D, auditctl -e 0).',
    patterns: [
      /\b(?:systemctl|service)\s+(?:stop|disable|mask)\s+auditd\b/i,
      /\bservice\s+auditd\s+stop\b/i,
      /\bauditctl\s+(?:-D|-e\s*0)\b/i,
    ],
    remediation: ['Restart auditd, restore its rules, and investigate who disabled it.'],
  },
  {
    typeId: 'Vigil_SystemLogsRemoved',
    title: 'Removal of system log files',
    severity: 'medium',
    rule: 'Deleting or truncating files under /var/log (rm, shred, truncate, > redirection).',
    patterns: [/\b(?:rm|shred|truncate)\b[^;|&]*\s\/var\/log\//i, />\s*\/var\/log\/\S+/i],
    remediation: ['Logs were destroyed on purpose: preserve what is left and investigate the session.'],
  },
];

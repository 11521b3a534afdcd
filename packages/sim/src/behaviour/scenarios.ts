/**
 * The named attack scenarios a simulated JSON-profile agent can play. Each one is what a real
 * compromise would make the agent report; the security center must raise an alert for it.
 */
export const MESSAGE_SCENARIOS = [
  'suspicious-ip',
  'brute-force',
  'miner-process',
  'reverse-shell',
  'permissive-firewall',
  'connection-spike',
] as const;

/** One of {@link MESSAGE_SCENARIOS}. */
export type MessageScenario = (typeof MESSAGE_SCENARIOS)[number];

/** What each scenario stands for, for `vigil simulate --help` and the demo's output. */
export const SCENARIO_DESCRIPTIONS: Readonly<Record<MessageScenario, string>> = {
  'suspicious-ip': 'an outbound connection to an address on the demo threat-intelligence feed',
  'brute-force': 'a burst of failed SSH logins from one address, then a successful one',
  'miner-process': 'a crypto miner started from /tmp',
  'reverse-shell': 'an interactive shell redirected to a remote TCP port',
  'permissive-firewall': 'a firewall whose input chain accepts everything',
  'connection-spike': 'hundreds of outbound connections within a minute',
};

/**
 * Addresses the demo threat-intelligence feed lists. They sit in 185.220.101.0/24, a public range
 * known for Tor exit relays, so they pass the private/bogon filter that real feeds need.
 */
export const DEMO_SUSPICIOUS_ADDRESSES = ['185.220.101.34', '185.220.101.77'] as const;

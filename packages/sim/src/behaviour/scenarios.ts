/**
 * The named attack scenarios. Message scenarios change what a device's security agent reports; hub
 * scenarios are things done to or through the hub itself (credentials, topics, its CA certificates),
 * which the hub logs and the security center alerts on without any agent.
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

/** Scenarios played against the hub rather than through an agent's messages. */
export const HUB_SCENARIOS = [
  'expired-sas',
  'forged-sas',
  'unauthorized-topics',
  'certificate-churn',
] as const;

/** One of {@link HUB_SCENARIOS}. */
export type HubScenario = (typeof HUB_SCENARIOS)[number];

/** Every scenario, message and hub. */
export const SCENARIOS = [...MESSAGE_SCENARIOS, ...HUB_SCENARIOS] as const;

/** One of {@link SCENARIOS}. */
export type Scenario = (typeof SCENARIOS)[number];

/** True for the scenarios played through the hub. */
export function isHubScenario(scenario: Scenario): scenario is HubScenario {
  return (HUB_SCENARIOS as readonly string[]).includes(scenario);
}

/** What each scenario stands for, for `vigil simulate --help` and the demo's output. */
export const SCENARIO_DESCRIPTIONS: Readonly<Record<Scenario, string>> = {
  'suspicious-ip': 'an outbound connection to an address on the demo threat-intelligence feed',
  'brute-force': 'a burst of failed SSH logins from one address, then a successful one',
  'miner-process': 'a crypto miner started from /tmp',
  'reverse-shell': 'an interactive shell redirected to a remote TCP port',
  'permissive-firewall': 'a firewall whose input chain accepts everything',
  'connection-spike': 'hundreds of outbound connections within a minute',
  'expired-sas': 'connection attempts with an expired SAS token',
  'forged-sas': 'connection attempts with a SAS token signed by the wrong key',
  'unauthorized-topics': "subscriptions to and a publish on another device's topics",
  'certificate-churn': "the hub's CA certificates added and deleted repeatedly, plus a failed add",
};

/**
 * Addresses the demo threat-intelligence feed lists. They sit in 185.220.101.0/24, a public range
 * known for Tor exit relays, so they pass the private/bogon filter that real feeds need.
 */
export const DEMO_SUSPICIOUS_ADDRESSES = ['185.220.101.34', '185.220.101.77'] as const;

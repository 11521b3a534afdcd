import type { Severity } from '@vigil/storage';

/** A kind of recommendation (reference/azure-security-module.md §4.5). */
export interface RecommendationType {
  readonly typeId: string;
  readonly title: string;
  readonly severity: Severity;
  readonly description: string;
  readonly remediation: readonly string[];
}

/**
 * Recommendations. IoT Hub's type ids are kept where they exist; the two twin-configuration ones had
 * no published id (§4.5, unverified) and use a `Vigil_` prefix.
 */
export const RECOMMENDATION_TYPES = {
  openPorts: {
    typeId: 'IoT_OpenPorts',
    title: 'Open ports on device',
    severity: 'medium',
    description: 'The device listens on ports reachable from the network.',
    remediation: ['Close the ports no service needs; restrict the rest to the addresses that need them.'],
  },
  permissiveFirewallPolicy: {
    typeId: 'IoT_PermissiveFirewallPolicy',
    title: 'Permissive firewall policy in one of the chains',
    severity: 'medium',
    description:
      'The default policy of the INPUT or OUTPUT chain accepts traffic; it should drop by default.',
    remediation: ['Set the chain policy to DROP and allow only the traffic the device needs.'],
  },
  permissiveInputRules: {
    typeId: 'IoT_PermissiveInputFirewallRules',
    title: 'Permissive rule in the input chain',
    severity: 'medium',
    description: 'An input rule accepts traffic from any address to any port.',
    remediation: ['Narrow the rule to specific source addresses and destination ports.'],
  },
  permissiveOutputRules: {
    typeId: 'IoT_PermissiveOutputFirewallRules',
    title: 'Permissive rule in the output chain',
    severity: 'medium',
    description: 'An output rule accepts traffic to any address and any port.',
    remediation: ['Narrow the rule to the destinations the device needs.'],
  },
  baseline: {
    typeId: 'IoT_Baseline',
    title: 'Operating system baseline validation has failed',
    severity: 'medium',
    description: 'One or more OS baseline (CIS-style) checks failed on the device.',
    remediation: ['Apply the remediation of each failed check listed in the details.'],
  },
  unutilizedMessages: {
    typeId: 'IoT_AgentSendsUnutilizedMessages',
    title: 'Security agent sends under-used messages',
    severity: 'low',
    description: 'At least 10% of the security messages were smaller than 4 KB; batching them costs less.',
    remediation: [
      'Raise lowPriorityMessageFrequency / highPriorityMessageFrequency in the security module twin.',
    ],
  },
  twinNotOptimal: {
    typeId: 'Vigil_TwinConfigurationNotOptimal',
    title: 'Security twin configuration not optimal',
    severity: 'low',
    description: 'The security module reported a configuration value outside its optimal range.',
    remediation: ['Adjust the values named in the details in the azureiotsecurity module twin.'],
  },
  twinConflict: {
    typeId: 'Vigil_TwinConfigurationConflict',
    title: 'Security twin configuration conflict',
    severity: 'low',
    description: 'The security module reported configuration values that contradict each other.',
    remediation: ['Make the values named in the details consistent in the azureiotsecurity module twin.'],
  },
  sharedCredentials: {
    typeId: 'IoT_SharedCredentials',
    title: 'Same authentication credentials used by multiple devices',
    severity: 'high',
    description:
      'Several identities share a symmetric key or a certificate thumbprint; one leak exposes all.',
    remediation: ['Give every device its own key or certificate.'],
  },
  ipFilterDenyAll: {
    typeId: 'IoT_IPFilter_DenyAll',
    title: 'Default IP filter policy should be deny',
    severity: 'medium',
    description: 'The hub accepts connections from any address not matched by a rule.',
    remediation: ['Set the IP filter default action to reject and allow the networks your devices use.'],
  },
  ipFilterPermissiveRule: {
    typeId: 'IoT_IPFilter_PermissiveRule',
    title: 'IP filter rule includes a large IP range',
    severity: 'medium',
    description: 'An accepting IP filter rule covers more addresses than the configured threshold.',
    remediation: ['Split the rule into the smaller ranges your devices actually use.'],
  },
  diagnosticsDisabled: {
    typeId: 'Vigil_DiagnosticsLogsDisabled',
    title: 'Enable diagnostics logs in the hub',
    severity: 'low',
    description: 'No diagnostic setting sends the hub logs anywhere; investigations will lack history.',
    remediation: ['Add a diagnostic setting with a destination that keeps logs for up to a year.'],
  },
} as const satisfies Record<string, RecommendationType>;

import type { Severity } from '@vigil/storage';

/** A kind of alert: what it means and what to do about it. */
export interface AlertType {
  readonly typeId: string;
  readonly title: string;
  readonly severity: Severity;
  readonly description: string;
  readonly remediation: readonly string[];
  /** `device`: from the device's own events; `hub`: from the hub's operations log. */
  readonly source: 'device' | 'hub';
}

const INVESTIGATE = 'Investigate the device: review its recent events, processes and connections in Vigil.';

/**
 * Built-in alerts. Where IoT Hub published an alert type id (reference/azure-security-module.md §4.3)
 * Vigil uses it unchanged, so exports line up with what users already query; agent-based alerts had no
 * published ids (§4.2) and use a `Vigil_` prefix.
 */
export const ALERT_TYPES = {
  suspiciousIp: {
    typeId: 'IoT_SuspiciousIpCommunication',
    title: 'Suspicious IP address communication',
    severity: 'medium',
    source: 'device',
    description: 'The device communicated with an address listed by a threat-intelligence feed.',
    remediation: [
      'Find the process that opened the connection (see the evidence) and stop it.',
      'Block the address at the network edge.',
      INVESTIGATE,
    ],
  },
  thumbprintMismatch: {
    typeId: 'IoT_Cert_Print_Mismatch',
    title: 'X.509 device certificate thumbprint mismatch',
    severity: 'medium',
    source: 'hub',
    description: 'A device presented a certificate whose thumbprint matches neither registered thumbprint.',
    remediation: [
      'Check whether the device was re-provisioned with a new certificate; update its registered thumbprints if so.',
      'Otherwise treat it as an impersonation attempt: review the source address in the evidence.',
    ],
  },
  certificateExpired: {
    typeId: 'IoT_Cert_Expired',
    title: 'X.509 device certificate expired',
    severity: 'medium',
    source: 'hub',
    description: 'A device tried to connect with an expired certificate.',
    remediation: ['Issue the device a new certificate and register its thumbprint.'],
  },
  sasExpired: {
    typeId: 'IoT_Expired_SAS_Token',
    title: 'Expired SAS token',
    severity: 'low',
    source: 'hub',
    description: 'A device tried to connect with an expired SAS token.',
    remediation: ['Check the device clock (NTP) and its token renewal.'],
  },
  sasInvalidSignature: {
    typeId: 'IoT_Invalid_SAS_Token',
    title: 'Invalid SAS token signature',
    severity: 'low',
    source: 'hub',
    description: "A SAS token's signature matched neither the primary nor the secondary key of the device.",
    remediation: [
      'If the device keys were rotated, update the device; otherwise someone is guessing: review the source address.',
    ],
  },
  certificateAdded: {
    typeId: 'IoT_CertificateSuccessfullyAddedToHub',
    title: 'New certificate added to the hub',
    severity: 'medium',
    source: 'hub',
    description: 'A CA certificate was added to the hub; devices chained to it can now authenticate.',
    remediation: ['Confirm the change was intended; delete the certificate otherwise.'],
  },
  certificateDeleted: {
    typeId: 'IoT_CertificateSuccessfullyDeletedFromHub',
    title: 'Certificate deleted from the hub',
    severity: 'medium',
    source: 'hub',
    description:
      'A CA certificate was deleted from the hub; devices chained to it can no longer authenticate.',
    remediation: ['Confirm the change was intended.'],
  },
  certificateAddFailed: {
    typeId: 'Hub_CertificateFailedToBeAddedToHub',
    title: 'Unsuccessful attempt to add a certificate to the hub',
    severity: 'medium',
    source: 'hub',
    description: 'An attempt to add a CA certificate to the hub failed.',
    remediation: ['Review who made the attempt (operations log) and why it failed.'],
  },
  certificateDeleteFailed: {
    typeId: 'IoT.Hub_CertificateFailedToBeDeletedFromHub',
    title: 'Unsuccessful attempt to delete a certificate from the hub',
    severity: 'medium',
    source: 'hub',
    description: 'An attempt to delete a CA certificate from the hub failed.',
    remediation: ['Review who made the attempt (operations log) and why it failed.'],
  },
  diagnosticSettingChanged: {
    typeId: 'IoT_DiagnosticSettingAddedOrEditedOnHub',
    title: 'Diagnostic setting added or edited',
    severity: 'low',
    source: 'hub',
    description: "A diagnostic setting changed: the hub's logs may now go somewhere else.",
    remediation: ['Confirm the destination is one of yours.'],
  },
  diagnosticSettingDeleted: {
    typeId: 'IoT_DiagnosticSettingDeletedFromHub',
    title: 'Diagnostic setting deleted',
    severity: 'low',
    source: 'hub',
    description: "A diagnostic setting was deleted: the hub's logs may no longer be kept.",
    remediation: ['Confirm the change was intended; restore the setting otherwise.'],
  },
  deviceSilent: {
    typeId: 'Vigil_DeviceSilent',
    title: 'Device silent',
    severity: 'low',
    source: 'device',
    description:
      'The device sent nothing for longer than the configured silence period (72 hours by default).',
    remediation: [
      'Check power, connectivity and whether the agent runs; a silenced agent can hide a compromise.',
    ],
  },
  bruteForceSucceeded: {
    typeId: 'Vigil_SuccessfulBruteForce',
    title: 'Successful brute force attempt',
    severity: 'high',
    source: 'device',
    description: 'Many failed logins from one address were followed by a successful login.',
    remediation: [
      'Assume the account is compromised: lock it, rotate its password or keys, and review what it did.',
      'Disable password authentication for remote logins.',
    ],
  },
  bruteForceFailed: {
    typeId: 'Vigil_FailedBruteForce',
    title: 'Failed brute force attempt',
    severity: 'low',
    source: 'device',
    description: 'Many failed logins from one address within a short time.',
    remediation: ['Block the address; disable password authentication for remote logins.'],
  },
} as const satisfies Record<string, AlertType>;

import type { CaCertificateView } from '@vigil/api-client';
import { UsageError, type CliIo } from '../io.js';
import type { RegisterCommand } from '../run-cli.js';
import { clientFrom, printResult, runApiCommand, withApiOptions, type ApiFlags } from './api-access.js';
import { formatIsoTime, formatTable } from './table.js';

interface IfMatchFlags extends ApiFlags {
  readonly ifMatch?: string;
}

/** Reads a PEM certificate file; anything without a certificate block is a usage error before any call. */
async function readPemFile(io: CliIo, path: string): Promise<string> {
  const text = new TextDecoder().decode(await io.readFile(path));
  if (!text.includes('-----BEGIN CERTIFICATE-----')) {
    throw new UsageError(`${path} is not a PEM certificate (no -----BEGIN CERTIFICATE----- line)`);
  }
  return text;
}

function describeCertificate(certificate: CaCertificateView): string {
  return `${[
    `CA certificate ${certificate.name}`,
    `  verified    ${certificate.isVerified ? 'yes' : 'no'}`,
    `  thumbprint  ${certificate.thumbprint}`,
    `  created     ${formatIsoTime(certificate.created)}`,
    `  updated     ${formatIsoTime(certificate.updated)}`,
    `  etag        ${certificate.etag}`,
  ].join('\n')}\n`;
}

/**
 * `vigil certificates list|show|add|delete|verification-code|verify`: the hub's CA certificates.
 * Devices with `--auth ca` authenticate with certificates a verified CA signed.
 */
export const registerCertificatesCommand: RegisterCommand = (program, io, setExitCode) => {
  const certificates = program
    .command('certificates')
    .description("the hub's CA certificates (X.509 devices with --auth ca) and their proof of possession");

  withApiOptions(
    certificates.command('list').description('every CA certificate').option('--json', 'print as JSON'),
  ).action(async (flags: ApiFlags) => {
    const { client, url } = clientFrom(flags);
    await runApiCommand(io, setExitCode, url, async () => {
      const items = await client.certificates.list();
      printResult(io, flags, { items }, () =>
        items.length === 0
          ? 'no CA certificates\n'
          : formatTable(
              ['NAME', 'VERIFIED', 'CREATED', 'THUMBPRINT'],
              items.map((item) => [
                item.name,
                item.isVerified ? 'yes' : 'no',
                formatIsoTime(item.created),
                item.thumbprint,
              ]),
            ),
      );
    });
  });

  withApiOptions(
    certificates
      .command('show <name>')
      .description('one CA certificate')
      .option('--json', 'print as JSON (the PEM included)'),
  ).action(async (name: string, flags: ApiFlags) => {
    const { client, url } = clientFrom(flags);
    await runApiCommand(io, setExitCode, url, async () => {
      printResult(io, flags, await client.certificates.get(name), describeCertificate);
    });
  });

  withApiOptions(
    certificates
      .command('add <name> <pemFile>')
      .description('register a CA certificate (PEM); prove possession with verification-code and verify')
      .option('--verified', 'trust it without proof of possession')
      .option('--json', 'print the certificate as JSON'),
  ).action(async (name: string, pemFile: string, flags: ApiFlags & { readonly verified?: boolean }) => {
    const { client, url } = clientFrom(flags);
    const pem = await readPemFile(io, pemFile);
    await runApiCommand(io, setExitCode, url, async () => {
      const added = await client.certificates.add(
        name,
        pem,
        flags.verified === true ? { isVerified: true } : {},
      );
      printResult(
        io,
        flags,
        added,
        (certificate) =>
          `added ${describeCertificate(certificate)}${
            certificate.isVerified
              ? ''
              : `next: \`vigil certificates verification-code ${certificate.name}\`, then verify with a certificate the CA signs\n`
          }`,
      );
    });
  });

  withApiOptions(
    certificates
      .command('delete <name>')
      .description('remove a CA certificate')
      .option('--if-match <etag>', 'only if the certificate still has this etag'),
  ).action(async (name: string, flags: IfMatchFlags) => {
    const { client, url } = clientFrom(flags);
    await runApiCommand(io, setExitCode, url, async () => {
      await client.certificates.delete(name, flags.ifMatch);
      io.stdout(`deleted CA certificate ${name}\n`);
    });
  });

  withApiOptions(
    certificates
      .command('verification-code <name>')
      .description('a proof-of-possession code (valid one hour) to sign with the CA')
      .option('--json', 'print { name, verificationCode, etag } as JSON'),
  ).action(async (name: string, flags: ApiFlags) => {
    const { client, url } = clientFrom(flags);
    await runApiCommand(io, setExitCode, url, async () => {
      const code = await client.certificates.verificationCode(name);
      printResult(
        io,
        flags,
        code,
        (answer) =>
          `${answer.verificationCode}\n` +
          `(issue a certificate with subject CN=${answer.verificationCode} signed by the CA's key, then\n` +
          ` \`vigil certificates verify ${answer.name} <pem-file>\`; the code lasts one hour)\n`,
      );
    });
  });

  withApiOptions(
    certificates
      .command('verify <name> <pemFile>')
      .description('prove possession: a certificate with CN=<verification code>, signed by the CA')
      .option('--if-match <etag>', 'only if the certificate still has this etag')
      .option('--json', 'print the certificate as JSON'),
  ).action(async (name: string, pemFile: string, flags: IfMatchFlags) => {
    const { client, url } = clientFrom(flags);
    const pem = await readPemFile(io, pemFile);
    await runApiCommand(io, setExitCode, url, async () => {
      const verified = await client.certificates.verify(name, pem, flags.ifMatch);
      printResult(io, flags, verified, (certificate) => `verified ${describeCertificate(certificate)}`);
    });
  });
};

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createMemorySystem } from '../collectors/index.js';
import { parseSshdLine, readSshdConfig } from './sshd-config.js';

const fixture = (name: string): string =>
  readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8');

describe('sshd_config reader', () => {
  it('keeps the first value, reads includes in place, and ignores Match blocks', async () => {
    const system = createMemorySystem({
      files: {
        '/etc/ssh/sshd_config': fixture('sshd_config'),
        '/etc/ssh/sshd_config.d/50-cloud.conf': fixture('sshd_config.d-50-cloud.conf'),
        '/etc/ssh/sshd_config.d/README': 'PasswordAuthentication yes\n',
      },
    });
    const config = await readSshdConfig(system);
    expect(config.files).toEqual(['/etc/ssh/sshd_config', '/etc/ssh/sshd_config.d/50-cloud.conf']);
    expect(config.settings.get('passwordauthentication')).toBe('no');
    expect(config.settings.get('permitrootlogin')).toBe('prohibit-password');
    expect(config.settings.get('maxauthtries')).toBe('3');
    expect(config.settings.get('protocol')).toBe('2,1');
    expect(config.settings.get('x11forwarding')).toBe('yes'); // after "Match all"
  });

  it('parses keyword=value and quoted values, skipping comments', () => {
    expect(parseSshdLine('MaxAuthTries=3')).toEqual({ keyword: 'maxauthtries', value: '3' });
    expect(parseSshdLine('  Banner "/etc/issue net"')).toEqual({
      keyword: 'banner',
      value: '/etc/issue net',
    });
    expect(parseSshdLine('# PermitRootLogin yes')).toBeUndefined();
  });

  it('throws when the main file is missing', async () => {
    await expect(readSshdConfig(createMemorySystem({}))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseContainerInspect, parseContainerList } from './docker-containers.js';

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`__fixtures__/docker/${name}`, import.meta.url), 'utf8')) as unknown;

describe('Docker Engine API parsers', () => {
  it('lists the running containers of GET /containers/json by id', () => {
    expect(parseContainerList(fixture('containers-list.json'))).toEqual([
      '8dfafdbc3a40a7e1b5d2f0c8d1a0e7e3f7d7bd4e5d8c5a3f1d2e0b9c8a7f6e5d',
      '3f4e1c2b5a6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f',
      'c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00',
    ]);
    expect(parseContainerList([])).toEqual([]);
  });

  it('reads an ordinary container: its image as asked for, bridge network, published ports, a named volume', () => {
    const web = parseContainerInspect(fixture('inspect-web.json'));
    expect(web).toMatchObject({
      name: 'web',
      image: 'nginx:1.25',
      privileged: false,
      networkMode: 'bridge',
      pidMode: '',
      capAdd: [],
    });
    expect(web.ports).toEqual([
      { hostIp: '0.0.0.0', hostPort: '8080', containerPort: '80', protocol: 'tcp' },
      { hostIp: '::', hostPort: '8080', containerPort: '80', protocol: 'tcp' },
      { hostIp: '127.0.0.1', hostPort: '9113', containerPort: '9113', protocol: 'tcp' },
    ]);
    expect(web.mounts).toEqual([
      {
        type: 'volume',
        source: '/var/lib/docker/volumes/web-cache/_data',
        destination: '/var/cache/nginx',
        readWrite: true,
      },
    ]);
  });

  it("reads the host-level privileges of the Edge security module's container", () => {
    const sec = parseContainerInspect(fixture('inspect-azureiotsecurity.json'));
    expect(sec).toMatchObject({ privileged: true, networkMode: 'host', pidMode: 'host' });
    expect(sec.mounts.map((m) => `${m.type}:${m.source}:${m.destination}:${m.readWrite}`)).toEqual([
      'bind:/:/host:true',
      'bind:/var/run/docker.sock:/var/run/docker.sock:true',
    ]);
    const exporter = parseContainerInspect(fixture('inspect-node-exporter.json'));
    expect(exporter.capAdd).toEqual(['SYS_PTRACE']);
    expect(exporter.mounts[0]).toMatchObject({ source: '/etc', readWrite: false });
  });

  it('refuses documents without an identity or with wrongly typed privilege fields', () => {
    expect(() => parseContainerList({ message: 'page not found' })).toThrow(/not a list/);
    expect(() => parseContainerList([{ Names: ['/x'] }])).toThrow(/item 0 has no Id/);
    expect(() => parseContainerInspect({ HostConfig: {} })).toThrow(/no Id/);
    const doc = fixture('inspect-web.json') as { HostConfig: Record<string, unknown> };
    doc.HostConfig['Privileged'] = 'true';
    expect(() => parseContainerInspect(doc)).toThrow(expect.objectContaining({ code: 'PARSE_ERROR' }));
    const bad = fixture('inspect-web.json') as { Mounts: unknown };
    bad.Mounts = 'none';
    expect(() => parseContainerInspect(bad)).toThrow(/Mounts is not a list/);
  });
});

import { parseCgroup } from '../../../src/probes/parsers/parseCgroup';
import { fixture } from './fixture';

/** Blocks of cgroup-samples.txt ("### name | source" then lines), real output from public reports. */
function samples(): Map<string, string[]> {
  const out = new Map<string, string[]>();
  let current: string[] | null = null;
  for (const line of fixture('cgroup-samples.txt').split('\n')) {
    const head = /^### (\S+) \|/.exec(line);
    if (head?.[1]) {
      current = [];
      out.set(head[1], current);
    } else if (current && line.trim() !== '' && !line.startsWith('#')) {
      current.push(line);
    }
  }
  return out;
}

const s = samples();
function of(name: string): string[] {
  const lines = s.get(name);
  if (!lines) throw new Error(`no sample ${name}`);
  return lines;
}

describe('parseCgroup', () => {
  it('finds docker containers (cgroupfs and systemd driver)', () => {
    expect(parseCgroup(of('docker-v1-cgroupfs'))).toEqual({
      unit: null,
      container: 'docker:2403ccfe427f1dc7b6120dccb9ac58c2f8456950380d587a9f33ea7f00dd303d',
    });
    expect(parseCgroup(of('docker-v1-systemd-driver')).container).toBe(
      'docker:9b98bb265ea4c149d9a786380dd07716d341c3e925f2616040c6cd9ac8c4b75c',
    );
  });

  it('finds Kubernetes pods for cgroupfs, systemd/crio, systemd/docker and containerd forms', () => {
    expect(parseCgroup(of('kubepods-v1-cgroupfs-besteffort')).container).toBe(
      'kubepods:pod74c13223-5a00-11e9-b385-42010a80018d/34dc0b5e626f2c5c4c5170e34b10e7654ce36f0fcd532739f4445baabea03376',
    );
    expect(parseCgroup(of('kubepods-v1-systemd-crio-burstable')).container).toBe(
      'kubepods:poda5c1f8d5-1919-434d-add7-4afaafdaef89/5eed917563583925ffdbd40a64efb2aaffe58638e57add8becaf460fe74f5b1c',
    );
    expect(parseCgroup(of('kubepods-v1-systemd-docker-burstable')).container).toBe(
      'kubepods:pod7d4424e6-bb13-42f4-a47a-45a4828bf54d/d0b3604b67ac7930dd34ba3a796627e3e4717d12309e90a4afe3f38b6816ac98',
    );
    expect(parseCgroup(of('kubepods-v1-containerd-colon-form')).container).toBe(
      'kubepods:pod0125ec2f-b64a-4868-8f5b-94b56cbab864/ee4b20e90ac7f42a10bd004d05646b13d8ab5e2c5e7cbc01abf8006bac016459',
    );
  });

  it('finds podman containers (v2 under a user manager, v1 machine.slice)', () => {
    expect(parseCgroup(of('podman-v2-rootful-user')).container).toBe(
      'podman:cf21d19260ace8544fe8b769fc2638bf2c0873dfbfff0b6253f0569b26a1d5eb',
    );
    expect(parseCgroup(of('podman-v1-machine-slice')).container).toBe(
      'podman:2521e906f0a0c758c3a7dc4fd68c197e32e96abb4b36807d0b0ede6d014a7c24',
    );
  });

  it('names the systemd unit of a plain service and nothing for a bare host', () => {
    expect(parseCgroup(of('systemd-service-v1-dockerd'))).toEqual({
      unit: 'docker.service',
      container: null,
    });
    expect(parseCgroup(of('no-container-v1-host'))).toEqual({ unit: null, container: null });
    expect(parseCgroup(fixture('proc-cgroup-lab.txt').split('\n'))).toEqual({
      unit: null,
      container: null,
    });
    expect(parseCgroup(['0::/system.slice/nginx.service'])).toEqual({
      unit: 'nginx.service',
      container: null,
    });
  });
});

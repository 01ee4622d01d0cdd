import type { HaGroupConfig } from '../../../src/domain/HostConfig';
import type { ProbeResults } from '../../../src/domain/ProbeResults';
import type { Runbook } from '../../../src/domain/Runbook';
import { assembleProbeResults } from '../../../src/probes/assembleProbeResults';
import { lbProbeParams } from '../../../src/probes/lbProbeParams';
import { splitSections } from '../../../src/probes/splitSections';

/**
 * ProbeResults from REAL batch output captured with buildProbeScript (the parameters must be the
 * ones the capture was made with: see the fixture's .cmd file), through the same pure steps that
 * collectProbes runs after its exec.
 */
export function probesFromCapture(c: {
  text: string;
  nonce: string;
  port: number;
  sudo: boolean;
  vip: string | null;
  lb: Runbook;
  ha: HaGroupConfig | null;
}): ProbeResults {
  return assembleProbeResults({
    host: 'lb-01',
    params: { port: c.port, nonce: c.nonce, sudo: c.sudo, vip: c.vip, lb: lbProbeParams(c.lb) },
    lb: c.lb,
    ha: c.ha,
    sections: splitSections(c.text, c.nonce),
    stderr: '',
  });
}

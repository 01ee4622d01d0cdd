import type { Rule } from '../Rule';
import { addressNotAvailable } from './addressNotAvailable';
import { configConflict } from './configConflict';
import { connectionHoldsPort } from './connectionHoldsPort';
import { containerPort } from './containerPort';
import { ephemeralPortCollision } from './ephemeralPortCollision';
import { foreignListener } from './foreignListener';
import { healthy } from './healthy';
import { lbNotListening } from './lbNotListening';
import { permissionDenied } from './permissionDenied';
import { portFreeLbDown } from './portFreeLbDown';
import { protectedOccupant } from './protectedOccupant';
import { selfConnect } from './selfConnect';
import { staleLbInstance } from './staleLbInstance';
import { suspiciousOccupant } from './suspiciousOccupant';
import { timeWaitOnly } from './timeWaitOnly';
import { transientOccupant } from './transientOccupant';

/** docs/reference/verdicts.md order (after `unreachable`, which needs no probes): the first match wins. */
export const orderedRules: readonly Rule[] = [
  suspiciousOccupant,
  protectedOccupant,
  containerPort,
  staleLbInstance,
  foreignListener,
  selfConnect,
  ephemeralPortCollision,
  connectionHoldsPort,
  permissionDenied,
  addressNotAvailable,
  configConflict,
  transientOccupant,
  healthy,
  lbNotListening,
  timeWaitOnly,
  portFreeLbDown,
];

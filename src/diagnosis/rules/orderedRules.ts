import type { Rule } from '../Rule';
import { addressNotAvailable } from './addressNotAvailable';
import { configConflict } from './configConflict';
import { connectionHoldsPort } from './connectionHoldsPort';
import { containerPort } from './containerPort';
import { ephemeralPortCollision } from './ephemeralPortCollision';
import { foreignListener } from './foreignListener';
import { healthy } from './healthy';
import { lbBinaryUpgrade } from './lbBinaryUpgrade';
import { lbNotListening } from './lbNotListening';
import { lbReloadGenerations } from './lbReloadGenerations';
import { permissionDenied } from './permissionDenied';
import { portFreeLbDown } from './portFreeLbDown';
import { reuseportSplit } from './reuseportSplit';
import { socketActivation } from './socketActivation';
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
  socketActivation,
  lbBinaryUpgrade,
  lbReloadGenerations,
  staleLbInstance,
  reuseportSplit,
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

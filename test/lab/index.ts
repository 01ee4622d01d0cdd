export { startLab, labDir } from './startLab';
export { Lab } from './Lab';
export { stopLab } from './stopLab';
export type { LabHostSpec, LabOptions } from './labTypes';
export { DEFAULT_HOSTS, LAB_VIP, DIAG_USER } from './labTypes';

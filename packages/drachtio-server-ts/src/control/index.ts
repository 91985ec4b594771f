export { ControlPlane, type AdminAddress, type ReloadableLimits } from './control-plane';
export { DEFAULT_CONTROL_OPTIONS, type ControlOptions } from './options';
export { CONTROL_LIMITS, ControlCounters, type ControlLimit } from './counters';

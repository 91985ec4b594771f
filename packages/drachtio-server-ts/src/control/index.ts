export { ControlPlane, type AdminAddress } from './control-plane';
export { DEFAULT_CONTROL_OPTIONS, type ControlOptions } from './options';

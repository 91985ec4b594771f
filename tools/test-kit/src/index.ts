export { freePort, type PortKind } from './ports';
export {
  SIPP_BINARY,
  killAllSipp,
  runSipp,
  startSipp,
  type SippOptions,
  type SippProcess,
  type SippResult,
} from './sipp';

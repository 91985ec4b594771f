/** The media-server simulator: `import { MediaServerSimulator } from 'drachtio-msml/simulator'`. */
export {
  MediaServerSimulator,
  type SimulatorOptions,
  type SimulatorEvents,
  type MsmlTrace,
} from './media-server';
export { MsmlExecutor, type Peer as MsmlPeer } from './msml-executor';
export { DEFAULT_SCRIPT, type SimulatorScript } from './script';

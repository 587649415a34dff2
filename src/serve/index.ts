// Serving flows over HTTP: APIs, proxies, tasks, health/ready/metrics (see server.ts).
export { FlowServer, startFlowServer, type FlowServerOptions, type MountHandler } from './server.js';
export { Router, type RouteMatch, type RouteResult } from './router.js';
export { TaskService } from './tasks.js';
// The package's `snconnect/serve` entry: loading artifacts goes with serving them.
export { buildArtifacts, loadArtifacts, registerArtifactKind, type ArtifactSet, type BackgroundService, type ServiceHost } from '../artifacts/index.js';
export { registerMediator } from '../mediation/index.js';
// Message stores, processors and inbound endpoints load with the artifacts and run with the server.
import '../store/index.js';
import './inbound-http.js';

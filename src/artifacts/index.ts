// Synapse artifacts: one loader for every kind a WSO2 MI project holds, from files, loose folders and project
// layouts (src/main/wso2mi/artifacts/..., src/main/synapse-config/...).
//
// Extension points (for the message store, processors, inbound endpoints and anything later):
//
//   registerArtifactKind('messageStore', (el, ctx) => { ... })
//       Handles a top-level element. `ctx.error/warn(el, msg)` report with the file and line; `ctx.builder`
//       builds mediators/sequences with this file's lines; `ctx.sequenceFrom(el, name)` adds an inline sequence;
//       `ctx.set.extensions` keeps parsed artifacts by kind (e.g. stores, for processors to look up by name);
//       `ctx.set.services.push(service)` adds a BackgroundService the server starts after it listens and stops
//       (awaited, before connections close) when it shuts down. A service gets a ServiceHost: runSequence(name,
//       ctx) runs a loaded sequence with the server's shared connections.
//
//   registerMediator('store', (el, tools) => ({ run(ctx, runtime) { ... } }))     (from ../mediation)
//       Adds a mediator element; build-time problems go through tools.error/warn, run time gets the context and
//       runtime.runSequence / runtime.logger.
//
// Register before loadArtifacts runs (importing the module that registers is enough). Unknown top-level
// elements are errors with file and line (warnings with --lenient, and the rest loads).
export type {
  ApiArtifact,
  ArtifactBuildContext,
  ArtifactKindHandler,
  ArtifactSet,
  BackgroundService,
  EndpointArtifact,
  Located,
  ProxyArtifact,
  ResourceArtifact,
  ServiceHost,
  TaskArtifact,
} from './types.js';
export { artifactKinds, buildArtifacts, loadArtifacts, registerArtifactKind, type LoadArtifactsOptions } from './load.js';
export { discoverArtifactFiles } from './discover.js';
export { discoverRegistryResources, type RegistryResource } from './registry.js';

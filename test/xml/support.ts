// Shared set-up of the XML tests: the serve harness (simulator, connector, FlowServer) and the SOAP/XML mock, started
// once per file and closed after it, with the endpoints' pooled sockets.
import { afterAll, beforeAll } from 'vitest';
import { closeEndpointConnections } from '../../src/mediation/endpoints/endpoint-call.js';
import { startServeHarness, type ServeHarness } from '../serve/support.js';
import { startSoapMock, type SoapMock } from '../support/soap-mock.js';

export function useServeAndSoapMock(): { readonly harness: ServeHarness; readonly mock: SoapMock } {
  const state = {} as { harness: ServeHarness; mock: SoapMock };
  beforeAll(async () => {
    state.harness = await startServeHarness();
    state.mock = await startSoapMock();
  });
  afterAll(async () => {
    await state.harness.close();
    await state.mock.close();
    await closeEndpointConnections();
  });
  return state;
}

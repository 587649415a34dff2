// The loaded connector: the catalogue plus one pooled transport per distinct connection configuration,
// shared by every Connection opened with that configuration.
import { createHash } from 'node:crypto';
import { loadCatalogue, type Catalogue, type LoadCatalogueOptions } from '../catalogue/index.js';
import { CONNECTION_SETTING_NAMES, Transport, type ConnectionSettings } from '../http/index.js';
import { quietLogger, redactingLogger, type Logger } from '../logger.js';
import { registerBasicCredential, registerSecret } from '../redact.js';
import { RESULT_BUILDERS } from '../schema/result-builders.js';
import { bindParameters } from './bind.js';
import { CatalogueConnection } from './connection.js';
import { operationInfo } from './operation-info.js';
import { buildSettings } from './settings.js';
import type { Connection, Connector, LoadOptions, OperationInfo } from './types.js';
import { validateParameters } from './validate.js';

/**
 * What the generic catalogue loader learns from this layer, which runs the result builders (run-steps.ts) and
 * owns the transport: the result builders a <steps result> may name, the settings a <setting name> may set.
 * Pass it to loadCatalogue wherever a catalogue is checked for use (the validate command does).
 */
export const RUNTIME_NAMES: Readonly<Pick<LoadCatalogueOptions, 'resultBuilders' | 'connectionSettings'>> = {
  resultBuilders: RESULT_BUILDERS,
  connectionSettings: CONNECTION_SETTING_NAMES,
};

export async function loadConnector(options: LoadOptions = {}): Promise<Connector> {
  const catalogue = await loadCatalogue(options.dir, { ...RUNTIME_NAMES, ...(options.snapshot === undefined ? {} : { snapshot: options.snapshot }) });
  return new CatalogueConnector(catalogue, redactingLogger(options.logger ?? quietLogger));
}

interface PoolEntry {
  transport: Transport;
  users: number;
}

class CatalogueConnector implements Connector {
  readonly name: string;
  readonly version: string;
  readonly dir: string;
  private readonly infos: OperationInfo[];
  private readonly initInfo: OperationInfo;
  private readonly infoByName = new Map<string, OperationInfo>();
  private readonly pools = new Map<string, PoolEntry>();

  constructor(
    private readonly catalogue: Catalogue,
    private readonly logger: Logger,
  ) {
    this.name = catalogue.name;
    this.version = catalogue.version;
    this.dir = catalogue.dir;
    this.infos = catalogue.operations.map(operationInfo);
    for (const [i, op] of catalogue.operations.entries()) {
      for (const key of [op.descriptor.name, ...op.descriptor.aliases]) this.infoByName.set(key, this.infos[i]!);
    }
    this.initInfo = operationInfo(catalogue.init);
    this.infoByName.set(catalogue.init.descriptor.name, this.initInfo);
  }

  describeInit(): OperationInfo {
    return this.initInfo;
  }

  operations(): OperationInfo[] {
    return this.infos;
  }

  describe(operation: string): OperationInfo | undefined {
    return this.infoByName.get(operation);
  }

  connect(initParams: Record<string, unknown>): Connection {
    const init = this.catalogue.init;
    // Known to the redaction before anything can fail: every error, log line and output from now on masks them.
    for (const p of init.parameters.list) {
      if (!p.secret) continue;
      for (const key of [p.name, ...p.aliases]) if (Object.hasOwn(initParams, key)) registerSecret(textOf(initParams[key]));
    }
    const values = bindParameters(init, initParams, undefined);
    validateParameters(init, values);
    const settings = buildSettings(init, values);
    if (settings.auth?.type === 'basic') registerBasicCredential(settings.auth.username, settings.auth.password);
    return new CatalogueConnection(this.catalogue, this.acquire(settings));
  }

  private acquire(settings: ConnectionSettings) {
    // Hashed so the map key does not hold a readable copy of the credentials.
    const key = createHash('sha256').update(JSON.stringify(settings)).digest('base64');
    let entry = this.pools.get(key);
    if (!entry) {
      entry = { transport: new Transport(settings, { logger: this.logger }), users: 0 };
      this.pools.set(key, entry);
    }
    entry.users++;
    const owned = entry;
    return {
      transport: owned.transport,
      release: async () => {
        owned.users--;
        if (owned.users > 0) return;
        if (this.pools.get(key) === owned) this.pools.delete(key);
        await owned.transport.close();
      },
    };
  }
}

function textOf(value: unknown): string | undefined {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;
}

// `<store messageStore="name|{expression}" sequence="..."/>`: puts a copy of the message (payload, properties,
// transport headers) into a message store, after running `sequence` if given (WSO2's onStoreSequence). The
// flow goes on; a flow that answers nothing afterwards gets 202, as in WSO2.
import { ConnectorError } from '../errors.js';
import { asText, evaluateNode } from '../context/index.js';
import { registerMediator } from '../mediation/index.js';

registerMediator('store', (el, tools) => {
  const raw = (el.attributes.messageStore ?? '').trim();
  if (!raw) {
    tools.error(el, '<store> needs messageStore="name of the store" (or "{expression}")');
    return undefined;
  }
  // messageStore="{expression}" (or ${...}) picks the store per message; anything else is its name.
  const braced = /^\{(.*)\}$/s.exec(raw);
  const exprText = raw.startsWith('${') ? raw : braced?.[1];
  const node = exprText !== undefined ? tools.expression(el, exprText, 'store messageStore') : undefined;
  if (exprText !== undefined && !node) return undefined;
  const sequence = el.attributes.sequence;
  const where = `${tools.file}:${el.line}`;
  return {
    async run(ctx, runtime) {
      const name = node ? asText(evaluateNode(node, ctx)) : raw;
      if (!runtime.messageStores) {
        throw new ConnectorError({ code: 'SEQUENCE_ERROR', message: `${where}: <store messageStore="${name}">: no message stores are defined where this flow runs` });
      }
      if (sequence) await runtime.runSequence(sequence, ctx);
      await runtime.messageStores.store(name, ctx);
    },
  };
});

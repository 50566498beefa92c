import { AiReceiveApi } from './generated/api.js';
import { FetchTransport } from './transport.js';

export * from './generated/api.js';
export { AiReceiveError, FetchTransport } from './transport.js';
export type { RequestOptions, Transport } from './transport.js';

/** A client for one API key: `createClient('http://localhost:3000', key).accountsGet()`. */
export function createClient(baseUrl: string, apiKey?: string): AiReceiveApi {
  return new AiReceiveApi(new FetchTransport(baseUrl, apiKey));
}

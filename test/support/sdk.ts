import { AiReceiveApi, createClient } from '../../libs/sdk/src/index.js';
import type { TestApp } from './test-app.js';

/** The generated SDK pointed at a running test app. */
export function sdkFor(t: TestApp, apiKey?: string): AiReceiveApi {
  const address = t.app.getHttpServer().address() as { port: number };
  return createClient(`http://127.0.0.1:${address.port}`, apiKey);
}

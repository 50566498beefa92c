import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';

/** Sorts object keys recursively so the committed openapi.json diffs cleanly. */
function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value as object)
        .sort()
        .map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]),
    );
  }
  return value;
}

export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('AI Receive API')
    .setDescription(
      'Payments for the AI economy: Token Pay usage billing against prepaid wallets, agent spending mandates, ' +
        'per-call payments, a double-entry ledger, payouts and incentive programs. Amounts are decimal strings in ' +
        'major units with up to 9 fractional digits; currencies are lower-case ISO 4217 codes.',
    )
    .setVersion('1.0.0')
    .setLicense('Apache-2.0', 'https://www.apache.org/licenses/LICENSE-2.0')
    .addServer('http://localhost:3000', 'Local development')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'An account secret key (air_sk_...).' }, 'secret_key')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'The operator key (ADMIN_API_KEY).' }, 'admin_key')
    .build();
  const document = SwaggerModule.createDocument(app, config, {
    operationIdFactory: (controllerKey: string, methodKey: string) =>
      `${controllerKey.replace(/Controller$/, '')}_${methodKey}`,
  });
  // Routes without a security requirement are public: say so explicitly, as OpenAPI linters expect.
  for (const pathItem of Object.values(document.paths)) {
    for (const operation of Object.values(pathItem)) {
      if (operation && typeof operation === 'object' && 'responses' in operation && !operation.security) {
        operation.security = [];
      }
    }
  }
  return sortKeys(document) as OpenAPIObject;
}

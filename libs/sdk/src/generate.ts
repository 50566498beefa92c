import { readFileSync, writeFileSync } from 'node:fs';

/**
 * Generates libs/sdk/src/generated/api.ts from openapi.json: a TypeScript interface per schema and a typed
 * method per operation. `--check` fails when the committed file differs from what openapi.json produces.
 */

interface Schema {
  $ref?: string;
  type?: string;
  enum?: unknown[];
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  nullable?: boolean;
  allOf?: Schema[];
  oneOf?: Schema[];
  anyOf?: Schema[];
}

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required?: boolean;
  schema?: Schema;
}

interface Operation {
  operationId: string;
  summary?: string;
  parameters?: Parameter[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
  responses: Record<string, { content?: Record<string, { schema?: Schema }> }>;
}

interface Document {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, Schema> };
}

function typeOf(schema: Schema | undefined): string {
  if (!schema) return 'unknown';
  let type: string;
  if (schema.$ref) type = schema.$ref.split('/').pop() as string;
  else if (schema.allOf) type = schema.allOf.map(typeOf).join(' & ');
  else if (schema.oneOf || schema.anyOf) type = (schema.oneOf ?? schema.anyOf ?? []).map(typeOf).join(' | ');
  else if (schema.enum) type = schema.enum.map((v) => JSON.stringify(v)).join(' | ');
  else if (schema.type === 'array') type = `Array<${typeOf(schema.items)}>`;
  else if (schema.type === 'integer' || schema.type === 'number') type = 'number';
  else if (schema.type === 'string') type = 'string';
  else if (schema.type === 'boolean') type = 'boolean';
  else if (schema.type === 'object' || schema.properties || schema.additionalProperties) {
    const fields = Object.entries(schema.properties ?? {}).map(
      ([name, field]) => `${JSON.stringify(name)}${schema.required?.includes(name) ? '' : '?'}: ${typeOf(field)};`,
    );
    if (schema.additionalProperties) {
      fields.push(
        `[key: string]: ${schema.additionalProperties === true ? 'unknown' : typeOf(schema.additionalProperties)};`,
      );
    }
    type = fields.length ? `{ ${fields.join(' ')} }` : 'Record<string, unknown>';
  } else type = 'unknown';
  return schema.nullable ? `${type} | null` : type;
}

function methodName(operationId: string): string {
  const [controller, method] = operationId.split('_');
  return controller.charAt(0).toLowerCase() + controller.slice(1) + method.charAt(0).toUpperCase() + method.slice(1);
}

export function generateSdkSource(document: Document): string {
  const out: string[] = [
    '// Generated from openapi.json by libs/sdk/src/generate.ts (`npm run openapi`). Do not edit.',
    "import type { RequestOptions, Transport } from '../transport.js';",
    '',
  ];
  for (const [name, schema] of Object.entries(document.components?.schemas ?? {}).sort(([a], [b]) =>
    a.localeCompare(b),
  )) {
    out.push(`export type ${name} = ${typeOf(schema)};`);
  }
  out.push('', 'export class AiReceiveApi {', '  constructor(private readonly transport: Transport) {}');
  const operations = Object.entries(document.paths)
    .flatMap(([path, item]) => Object.entries(item).map(([method, op]) => ({ path, method, op })))
    .sort((a, b) => a.op.operationId.localeCompare(b.op.operationId));
  for (const { path, method, op } of operations) {
    const pathParams = (op.parameters ?? []).filter((p) => p.in === 'path');
    const queryParams = (op.parameters ?? []).filter((p) => p.in === 'query');
    const bodySchema = op.requestBody?.content?.['application/json']?.schema;
    const success = Object.entries(op.responses).find(([status]) => status.startsWith('2'));
    const responseType = typeOf(success?.[1].content?.['application/json']?.schema);
    const args: string[] = pathParams.map((p) => `${p.name}: string`);
    if (bodySchema) args.push(`body: ${typeOf(bodySchema)}`);
    if (queryParams.length) {
      args.push(
        `query: { ${queryParams.map((p) => `${p.name}${p.required ? '' : '?'}: ${typeOf(p.schema)};`).join(' ')} }${
          queryParams.some((p) => p.required) ? '' : ' = {}'
        }`,
      );
    }
    args.push('options: RequestOptions = {}');
    const urlPath = path.replace(/\{(\w+)\}/g, (_m, name: string) => `\${encodeURIComponent(${name})}`);
    out.push(
      '',
      `  /** ${op.summary ?? op.operationId} */`,
      `  ${methodName(op.operationId)}(${args.join(', ')}): Promise<${responseType}> {`,
      `    return this.transport.request(${JSON.stringify(method.toUpperCase())}, \`${urlPath}\`, { ${[
        bodySchema ? 'body' : '',
        queryParams.length ? 'query' : '',
        'options',
      ]
        .filter(Boolean)
        .join(', ')} });`,
      '  }',
    );
  }
  out.push('}', '');
  return out.join('\n');
}

function main(): void {
  const document = JSON.parse(readFileSync('openapi.json', 'utf8')) as Document;
  const source = generateSdkSource(document);
  const target = 'libs/sdk/src/generated/api.ts';
  if (process.argv.includes('--check')) {
    let committed = '';
    try {
      committed = readFileSync(target, 'utf8');
    } catch {
      committed = '';
    }
    if (committed !== source) {
      process.stderr.write(`${target} is out of date with openapi.json: run \`npm run openapi\` and commit it.\n`);
      process.exit(1);
    }
    return;
  }
  writeFileSync(target, source);
  process.stdout.write(`${target} written.\n`);
}

if (process.argv[1]?.endsWith('generate.js')) main();

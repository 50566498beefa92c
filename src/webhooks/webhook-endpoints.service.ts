import { Inject, Injectable } from '@nestjs/common';
import { ApiError } from '../common/errors/api-error.js';
import { newId } from '../common/ids.js';
import { ListPage, toPage } from '../common/pagination/pagination.js';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.tokens.js';
import { TransactionRunner } from '../database/transaction-runner.js';
import type {
  CreateWebhookEndpointRequest,
  DeletedWebhookEndpointView,
  UpdateWebhookEndpointRequest,
  WebhookDeliveryAttemptView,
  WebhookEndpointView,
  WebhookEndpointWithSecretView,
} from './dto/webhook-endpoint.dto.js';
import { WebhookDeliveriesRepository } from './webhook-deliveries.repository.js';
import { WebhookEndpoint } from './webhook-endpoint.entity.js';
import { WebhookEndpointsRepository } from './webhook-endpoints.repository.js';
import { generateWebhookSecret } from './webhook-signature.js';
import { assertWebhookUrlAllowed, WebhookUrlRefused } from './webhook-url-policy.js';
import { presentAttempt, presentEndpoint, presentEndpointWithSecret } from './webhook.presenter.js';

const MAX_ENDPOINTS_PER_ACCOUNT = 16;

@Injectable()
export class WebhookEndpointsService {
  constructor(
    private readonly endpoints: WebhookEndpointsRepository,
    private readonly deliveries: WebhookDeliveriesRepository,
    private readonly transactions: TransactionRunner,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async create(accountId: string, request: CreateWebhookEndpointRequest): Promise<WebhookEndpointWithSecretView> {
    const url = await this.allowedUrl(request.url);
    return this.transactions.run(async (manager) => {
      const existing = await this.endpoints.lockAccountEndpoints(manager, accountId);
      if (existing >= MAX_ENDPOINTS_PER_ACCOUNT) {
        throw ApiError.badRequest(
          'webhook_endpoint_limit_reached',
          `An account can have at most ${MAX_ENDPOINTS_PER_ACCOUNT} webhook endpoints; delete one first.`,
        );
      }
      const now = new Date();
      const endpoint = Object.assign(new WebhookEndpoint(), {
        id: newId('we'),
        accountId,
        url,
        description: request.description ?? null,
        enabledEvents: request.enabled_events,
        enabled: true,
        disabledReason: null,
        secret: generateWebhookSecret(),
        previousSecret: null,
        previousSecretExpiresAt: null,
        createdAt: now,
        updatedAt: now,
      } satisfies WebhookEndpoint);
      await this.endpoints.insert(manager, endpoint);
      return presentEndpointWithSecret(endpoint);
    });
  }

  async list(accountId: string, limit: number, startingAfter?: string): Promise<ListPage<WebhookEndpointView>> {
    return toPage(await this.endpoints.list(accountId, limit, startingAfter), limit, (e) => presentEndpoint(e));
  }

  async get(accountId: string, id: string): Promise<WebhookEndpointView> {
    return presentEndpoint(await this.require(accountId, id));
  }

  async update(accountId: string, id: string, request: UpdateWebhookEndpointRequest): Promise<WebhookEndpointView> {
    const url = request.url === undefined ? undefined : await this.allowedUrl(request.url);
    return this.transactions.run(async (manager) => {
      const endpoint = await this.endpoints.find(accountId, id, manager);
      if (!endpoint) throw ApiError.notFound('webhook endpoint', id);
      if (url !== undefined) endpoint.url = url;
      if (request.description !== undefined) endpoint.description = request.description;
      if (request.enabled_events !== undefined) endpoint.enabledEvents = request.enabled_events;
      if (request.enabled !== undefined && request.enabled !== endpoint.enabled) {
        endpoint.enabled = request.enabled;
        endpoint.disabledReason = request.enabled ? null : 'manual';
      }
      await this.endpoints.save(manager, endpoint);
      return presentEndpoint(endpoint);
    });
  }

  async delete(accountId: string, id: string): Promise<DeletedWebhookEndpointView> {
    return this.transactions.run(async (manager) => {
      const endpoint = await this.endpoints.find(accountId, id, manager);
      if (!endpoint) throw ApiError.notFound('webhook endpoint', id);
      await this.endpoints.delete(manager, endpoint);
      return { id, object: 'webhook_endpoint', deleted: true };
    });
  }

  /** A new secret now; the old one keeps signing (alongside) until the overlap ends, so receivers can switch. */
  async rotateSecret(accountId: string, id: string, overlapHours: number): Promise<WebhookEndpointWithSecretView> {
    return this.transactions.run(async (manager) => {
      const endpoint = await this.endpoints.find(accountId, id, manager);
      if (!endpoint) throw ApiError.notFound('webhook endpoint', id);
      endpoint.previousSecret = overlapHours > 0 ? endpoint.secret : null;
      endpoint.previousSecretExpiresAt = overlapHours > 0 ? new Date(Date.now() + overlapHours * 3_600_000) : null;
      endpoint.secret = generateWebhookSecret();
      await this.endpoints.save(manager, endpoint);
      return presentEndpointWithSecret(endpoint);
    });
  }

  async listAttempts(
    accountId: string,
    id: string,
    limit: number,
    startingAfter?: string,
    eventId?: string,
  ): Promise<ListPage<WebhookDeliveryAttemptView>> {
    const endpoint = await this.require(accountId, id);
    return toPage(
      await this.deliveries.listAttempts(endpoint.id, limit, startingAfter, eventId),
      limit,
      presentAttempt,
    );
  }

  private async require(accountId: string, id: string): Promise<WebhookEndpoint> {
    const endpoint = await this.endpoints.find(accountId, id);
    if (!endpoint) throw ApiError.notFound('webhook endpoint', id);
    return endpoint;
  }

  private async allowedUrl(raw: string): Promise<string> {
    try {
      return (await assertWebhookUrlAllowed(raw, this.config.webhookAllowPrivateUrls)).toString();
    } catch (error) {
      if (error instanceof WebhookUrlRefused) throw ApiError.badRequest(error.code, error.message, 'url');
      throw error;
    }
  }
}

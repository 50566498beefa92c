import { Inject, Injectable } from '@nestjs/common';
import http from 'node:http';
import https from 'node:https';
import { performance } from 'node:perf_hooks';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.tokens.js';
import { assertPublicHostLiteral, parseWebhookUrl, publicOnlyLookup } from './webhook-url-policy.js';

export interface WebhookRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

export interface WebhookResponse {
  /** The HTTP status, or null when no response arrived. */
  statusCode: number | null;
  durationMs: number;
  /** Why there is no usable response (or why a 3xx counts as a failure). */
  error: string | null;
}

const USER_AGENT = 'AI-Receive-Webhooks/1.0';

/**
 * Posts one webhook. Never follows redirects (a 3xx is a failed attempt), gives up after WEBHOOK_TIMEOUT_MS,
 * and, unless private URLs are allowed, connects only to public addresses it resolved and checked itself.
 */
@Injectable()
export class WebhookSender {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  send(request: WebhookRequest): Promise<WebhookResponse> {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    let url: URL;
    try {
      url = parseWebhookUrl(request.url);
      if (!this.config.webhookAllowPrivateUrls) assertPublicHostLiteral(url);
    } catch (error) {
      return Promise.resolve({ statusCode: null, durationMs: 0, error: (error as Error).message });
    }
    const timeoutMs = this.config.webhookTimeoutMs;
    return new Promise((resolve) => {
      let settled = false;
      const settle = (statusCode: number | null, error: string | null) => {
        if (settled) return;
        settled = true;
        resolve({ statusCode, durationMs: elapsed(), error });
      };
      const transport = url.protocol === 'https:' ? https : http;
      const outgoing = transport.request(
        url,
        {
          method: 'POST',
          agent: false,
          headers: {
            ...request.headers,
            'content-type': 'application/json',
            'content-length': String(Buffer.byteLength(request.body)),
            'user-agent': USER_AGENT,
          },
          lookup: this.config.webhookAllowPrivateUrls ? undefined : publicOnlyLookup,
        },
        (response) => {
          const status = response.statusCode ?? null;
          settle(
            status,
            status !== null && status >= 300 && status < 400
              ? `Redirects are not followed (answered ${status}).`
              : null,
          );
          // The body is not needed; drain it so the socket closes, within the same deadline.
          response.resume();
        },
      );
      const timer = setTimeout(() => outgoing.destroy(new Error(`No response within ${timeoutMs} ms.`)), timeoutMs);
      outgoing.on('close', () => clearTimeout(timer));
      outgoing.on('error', (error) => settle(null, error.message));
      outgoing.end(request.body);
    });
  }
}

import { LoggerService } from '@nestjs/common';
import type { LogLevel } from '../../config/app-config.js';

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** One JSON object per line on stdout, for log shippers. */
export class JsonLogger implements LoggerService {
  constructor(private readonly level: LogLevel) {}

  log(message: unknown, context?: string): void {
    this.write('info', message, context);
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.write('error', message, rest.filter((r) => typeof r === 'string').pop() as string | undefined);
  }
  warn(message: unknown, context?: string): void {
    this.write('warn', message, context);
  }
  debug(message: unknown, context?: string): void {
    this.write('debug', message, context);
  }
  verbose(message: unknown, context?: string): void {
    this.write('debug', message, context);
  }

  private write(level: LogLevel, message: unknown, context?: string): void {
    if (ORDER[level] < ORDER[this.level]) return;
    const fields = typeof message === 'object' && message !== null ? message : { msg: String(message) };
    process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), level, context, ...fields })}\n`);
  }
}

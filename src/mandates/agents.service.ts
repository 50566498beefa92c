import { Injectable } from '@nestjs/common';
import { ApiError } from '../common/errors/api-error.js';
import { newId } from '../common/ids.js';
import { ListPage, toPage } from '../common/pagination/pagination.js';
import { Agent } from './agent.entity.js';
import type { AgentView, CreateAgentRequest } from './dto/agent.dto.js';
import { presentAgent } from './mandate.presenter.js';
import { MandatesRepository } from './mandates.repository.js';

@Injectable()
export class AgentsService {
  constructor(private readonly repository: MandatesRepository) {}

  async create(accountId: string, request: CreateAgentRequest): Promise<AgentView> {
    const agent = Object.assign(new Agent(), {
      id: newId('agt'),
      accountId,
      name: request.name,
      framework: request.framework ?? null,
      vendor: request.vendor ?? null,
      publicKey: request.public_key ?? null,
      metadata: request.metadata ?? {},
      createdAt: new Date(),
    } satisfies Agent);
    await this.repository.insertAgent(agent);
    return presentAgent(agent);
  }

  async get(accountId: string, id: string): Promise<AgentView> {
    const agent = await this.repository.findAgent(accountId, id);
    if (!agent) throw ApiError.notFound('agent', id);
    return presentAgent(agent);
  }

  async list(accountId: string, limit: number, startingAfter?: string): Promise<ListPage<AgentView>> {
    return toPage(await this.repository.listAgents(accountId, limit, startingAfter), limit, presentAgent);
  }
}

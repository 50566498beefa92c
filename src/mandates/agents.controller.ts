import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentAccount, RequireScopes } from '../common/auth/auth.decorators.js';
import { ApiErrors } from '../common/openapi/api-errors.decorator.js';
import { ListQuery, pageLimit } from '../common/pagination/pagination.js';
import { AgentsService } from './agents.service.js';
import { AgentListView, AgentView, CreateAgentRequest } from './dto/agent.dto.js';

@ApiTags('Agents')
@Controller('v1/agents')
@RequireScopes()
export class AgentsController {
  constructor(private readonly agents: AgentsService) {}

  @Post()
  @ApiOperation({ summary: 'Register an AI agent that spends under your mandates' })
  @ApiCreatedResponse({ type: AgentView })
  @ApiErrors(400, 403)
  create(@CurrentAccount() accountId: string, @Body() body: CreateAgentRequest): Promise<AgentView> {
    return this.agents.create(accountId, body);
  }

  @Get()
  @ApiOperation({ summary: 'List your agents' })
  @ApiOkResponse({ type: AgentListView })
  @ApiErrors(400)
  list(@CurrentAccount() accountId: string, @Query() query: ListQuery) {
    return this.agents.list(accountId, pageLimit(query), query.starting_after);
  }

  @Get(':id')
  @ApiOperation({ summary: 'Retrieve an agent' })
  @ApiOkResponse({ type: AgentView })
  @ApiErrors(404)
  get(@CurrentAccount() accountId: string, @Param('id') id: string): Promise<AgentView> {
    return this.agents.get(accountId, id);
  }
}

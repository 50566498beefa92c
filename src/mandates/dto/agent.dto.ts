import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length } from 'class-validator';
import { IsMetadata } from '../../common/validation/is-string-map.js';

export class CreateAgentRequest {
  @ApiPropertyOptional({ example: 'langgraph', description: 'The agent framework it runs on.' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  framework?: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'string' } })
  @IsOptional()
  @IsMetadata()
  metadata?: Record<string, string>;

  @ApiProperty({ example: 'Travel booker' })
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiPropertyOptional({ description: 'A public key the agent signs with (PEM or JWK text), kept for reference.' })
  @IsOptional()
  @IsString()
  @Length(1, 10000)
  public_key?: string;

  @ApiPropertyOptional({ example: 'openai', description: 'Who provides the agent.' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  vendor?: string;
}

export class AgentView {
  @ApiProperty({ example: 'agt_01jd8...' }) id!: string;
  @ApiProperty({ enum: ['agent'] }) object!: 'agent';
  @ApiProperty({ description: 'Unix seconds.' }) created!: number;
  @ApiProperty({ nullable: true, type: String }) framework!: string | null;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' } }) metadata!: Record<string, string>;
  @ApiProperty() name!: string;
  @ApiProperty({ nullable: true, type: String }) public_key!: string | null;
  @ApiProperty({ nullable: true, type: String }) vendor!: string | null;
}

export class AgentListView {
  @ApiProperty({ enum: ['list'] }) object!: 'list';
  @ApiProperty({ type: [AgentView] }) data!: AgentView[];
  @ApiProperty() has_more!: boolean;
}

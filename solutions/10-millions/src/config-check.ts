/** A config that cannot describe a system is refused with a message that says what to change. */
import type { SystemConfig } from './config.js';

export function checkConfig(config: SystemConfig): void {
  const problems: string[] = [];
  if (config.dataCenters.length === 0) problems.push('at least one data center');
  const dcIds = config.dataCenters.map((d) => d.id);
  if (new Set(dcIds).size !== dcIds.length)
    problems.push(`data center ids used once each (got ${dcIds.join(', ')})`);
  for (const dc of config.dataCenters)
    if (!Number.isInteger(dc.webServers) || dc.webServers < 1)
      problems.push(`data center ${dc.id}: at least one web server (got ${dc.webServers})`);
  if (config.shards.length === 0) problems.push('at least one shard');
  const names = config.shards.map((s) => s.name);
  if (new Set(names).size !== names.length)
    problems.push(`shard names used once each (got ${names.join(', ')})`);
  for (const shard of config.shards)
    if (shard.nodes.length < 2)
      problems.push(
        `shard ${shard.name}: a primary and at least one replica (got ${shard.nodes.length} node)`,
      );
  if (!Number.isInteger(config.workers) || config.workers < 1)
    problems.push(`at least one worker (got ${config.workers})`);
  if (problems.length > 0) throw new Error(`invalid system config: it needs ${problems.join('; ')}`);
}

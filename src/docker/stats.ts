/**
 * A running container's CPU and memory, live from the daemon's stats stream (`GET /containers/{id}/stats`, one JSON
 * object a second), computed the way `docker stats` does.
 */
import { EventEmitter } from 'node:events';
import type { IncomingMessage } from 'node:http';
import type { DockerApi } from './api';

/** The fields of a stats sample that are used (Linux containers, cgroup v1 or v2). */
export interface ApiStats {
  read?: string;
  cpu_stats?: { cpu_usage?: { total_usage?: number; percpu_usage?: number[] | null }; system_cpu_usage?: number; online_cpus?: number };
  precpu_stats?: { cpu_usage?: { total_usage?: number }; system_cpu_usage?: number };
  memory_stats?: { usage?: number; limit?: number; stats?: Record<string, number> };
}

export interface ContainerStats {
  /** Percent of one CPU, as `docker stats` shows it (200 % = two CPUs busy). */
  cpuPercent: number;
  memoryBytes: number;
  memoryLimit: number;
  memoryPercent: number;
}

/** `docker stats`' numbers for one sample (docker/cli calculateCPUPercentUnix and calculateMemUsageUnixNoCache). */
export function statsOf(s: ApiStats): ContainerStats {
  const cpu = s.cpu_stats ?? {};
  const pre = s.precpu_stats ?? {};
  const cpuDelta = (cpu.cpu_usage?.total_usage ?? 0) - (pre.cpu_usage?.total_usage ?? 0);
  const systemDelta = (cpu.system_cpu_usage ?? 0) - (pre.system_cpu_usage ?? 0);
  const cpus = cpu.online_cpus || cpu.cpu_usage?.percpu_usage?.length || 1;
  const cpuPercent = systemDelta > 0 && cpuDelta > 0 ? (cpuDelta / systemDelta) * cpus * 100 : 0;
  const mem = s.memory_stats ?? {};
  const usage = mem.usage ?? 0;
  // Page cache is not the container's own memory: cgroup v1 reports it as total_inactive_file, v2 as inactive_file.
  const cache = mem.stats?.total_inactive_file ?? mem.stats?.inactive_file ?? 0;
  const memoryBytes = cache < usage ? usage - cache : usage;
  const memoryLimit = mem.limit ?? 0;
  return { cpuPercent, memoryBytes, memoryLimit, memoryPercent: memoryLimit > 0 ? (memoryBytes / memoryLimit) * 100 : 0 };
}

export interface StatsStreamEvents {
  sample: [ContainerStats];
  end: [reason: string];
}

/** Follows one container's stats until stopped, or until the container stops (the daemon ends the stream). */
export class StatsStream extends EventEmitter<StatsStreamEvents> {
  private response: IncomingMessage | undefined;
  private readonly abort = new AbortController();
  private stopped = false;
  /** The last sample, for whoever starts listening late. */
  last: ContainerStats | undefined;

  constructor(
    private readonly api: DockerApi,
    readonly containerId: string,
  ) {
    super();
  }

  async start(): Promise<void> {
    try {
      const res = await this.api.stream(`/containers/${encodeURIComponent(this.containerId)}/stats`, { query: { stream: true }, signal: this.abort.signal });
      if (this.stopped) return void res.destroy();
      this.response = res;
      let buffer = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let nl: number;
        while ((nl = buffer.indexOf('\n')) >= 0) {
          const line = buffer.slice(0, nl).trim();
          buffer = buffer.slice(nl + 1);
          if (!line) continue;
          let sample: ApiStats;
          try {
            sample = JSON.parse(line) as ApiStats;
          } catch {
            continue; // a garbled line
          }
          // A stopped container's stream stays open with empty samples, read at the zero time.
          if (sample.read?.startsWith('0001-01-01')) return this.finish('the container stopped');
          this.last = statsOf(sample);
          this.emit('sample', this.last);
        }
        if (buffer.length > 1 << 20) buffer = '';
      });
      res.on('close', () => this.finish('the stream ended'));
      res.on('error', (e) => this.finish(e.message));
    } catch (e) {
      this.finish((e as Error).message);
    }
  }

  stop(): void {
    this.finish('stopped');
  }

  private finish(reason: string): void {
    if (this.stopped) return;
    this.stopped = true;
    this.abort.abort();
    this.response?.destroy();
    this.emit('end', reason);
    this.removeAllListeners();
  }
}

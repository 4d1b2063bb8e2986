/** bench/results.json's shape, its Markdown rendering, and the README block it fills. */
import type { RecomputeResult } from './recompute';
import { READ_SCENARIOS } from './scenarios';
import type { PlanDatasetSizes as PlanSizes } from './plan-dataset';
import fs from 'node:fs';
import path from 'node:path';
import type { Stats, SideThroughput } from './load';

export interface ReadResult {
  id: string;
  title: string;
  as: string;
  ok: boolean;
  error?: string;
  /** 1-minute load average when the scenario started. */
  loadAvg?: number;
  /** Statements per request as the service counts them (x-sql-statements). */
  sqlPerRequest: number | null;
  /** Statements the baseline replays (captured, without begin/commit). */
  replayedStatements: number | null;
  /** Unmeasured requests per side before the measurements (see LoadConfig.warmupRequests). */
  warmupRequests?: number;
  /** The start of each replayed statement (full texts: BENCH_STATEMENTS_FILE). */
  statementPreview?: string[];
  responseBytes?: { service: number; baseline: number };
  /** Target for the service's p95 at concurrency 1, ms. */
  targetP95Ms?: number;
  /** Targets against the raw baseline (latency p50 ratio at most, throughput ratio at least). */
  targetRatios?: { latency: number; throughput: number };
  /** completionRollup scenarios: whether the recorded statements include `completionService.rollupStatement`'s SQL verbatim. */
  replaysServiceStatement?: boolean;
  c1?: { service: Stats; baseline: Stats; latencyRatioP50: number; latencyRatioP95: number; capped: boolean };
  cN?: { concurrency: number; service: SideThroughput; baseline: SideThroughput; throughputRatio: number; capped: boolean };
}

export interface GateResult {
  id: string;
  ok: boolean;
  error?: string;
  statements?: number;
  /** Whether owner and gate replays returned the same rows (if not, the ratio compares different work). */
  sameResults?: boolean;
  owner?: { latency: Stats; sqlMs: Stats };
  gate?: { latency: Stats; sqlMs: Stats };
  /** Gate ÷ owner of the SQL time's median (the target is ≤ 1.1). */
  ratioSqlP50?: number;
  ratioLatencyP50?: number;
  capped?: boolean;
}

export interface WriteSide {
  walk: Stats;
  steps: Record<string, Stats>;
  sqlPerStep: Record<string, number | null>;
}

export interface WriteResult {
  ok: boolean;
  error?: string;
  triggers: string[];
  note?: string;
  c1?: { enabled: WriteSide; disabled?: WriteSide; ratioWalkP50?: number; ratioWalkMean?: number };
  cN?: { concurrency: number; enabled: { walks: number; seconds: number; walksPerSecond: number }; disabled?: { walks: number; seconds: number; walksPerSecond: number }; ratio?: number };
}

export interface MemoryResult {
  ok: boolean;
  error?: string;
  requests: number;
  seconds: number;
  capped: boolean;
  gcAvailable: boolean;
  afterWarmup: { heapUsedMb: number; rssMb: number };
  atEnd: { heapUsedMb: number; rssMb: number };
  heapGrowthPct: number;
  rssGrowthPct: number;
  /** Requests per scenario (weighted by measured throughput: about equal time per scenario). */
  mix: Record<string, number>;
  samples: Array<{ requests: number; heapUsedMb: number; rssMb: number }>;
}

export interface BenchResults {
  date: string;
  machine: {
    cores: number;
    cpuModel: string;
    node: string;
    /** The flags of `npm start` the service ran with (absent in results before they were recorded). */
    nodeFlags?: string[];
    /** Named prepared statements per connection for repeated reads, both sides (0 = off; absent in results before they were recorded). */
    preparedPerConnection?: number;
    platform: string;
    memoryGb: number;
    postgres: string;
    database: 'embedded' | 'DATABASE_URL';
    /** NODE_ENV of the server process (graphql-js skips its development checks in production). */
    nodeEnv: string;
    /** 1-minute load average when the run started and ended: other work on the machine shows here. */
    loadAvgStart: number;
    loadAvgEnd: number;
  };
  config: Record<string, unknown>;
  dataset: {
    today: string;
    sizes: Record<string, unknown>;
    timingsMs: Record<string, number>;
    rebuildFigures: { present: boolean; ms?: number; error?: string; detail?: unknown };
    /** How the maintained figures (if any) were filled. */
    figures: string;
    vacuumAnalyzeMs: number;
    setupSeconds: number;
  };
  reads: ReadResult[];
  gate: GateResult[];
  /** Maintained-figure roll-ups vs the recomputation from raw rows (bench/recompute.ts). */
  recompute?: RecomputeResult[];
  /** The same for the task figures: completionRollup's statement vs the figure_task_*_reference views (as the owner). */
  recomputeCompletion?: RecomputeResult[];
  writes: WriteResult;
  memory: MemoryResult | null;
  totalSeconds: number;
}

const f = (x: number | undefined | null, digits = 1) => (x == null || Number.isNaN(x) ? '–' : x.toFixed(digits));
const triple = (s?: Stats) => (s ? `${f(s.p50)} / ${f(s.p95)} / ${f(s.max)}` : '–');

export function machineLine(r: BenchResults): string {
  const m = r.machine;
  return `${m.cores} cores (${m.cpuModel}), ${Math.round(m.memoryGb)} GB, Node ${m.node} (NODE_ENV=${m.nodeEnv}${m.nodeFlags?.length ? `, ${m.nodeFlags.join(' ')}` : ''}), ${m.postgres} (${m.database === 'embedded' ? 'embedded, fsync off' : 'DATABASE_URL'})${m.preparedPerConnection === undefined ? '' : m.preparedPerConnection > 0 ? `; repeated reads as named prepared statements (≤ ${m.preparedPerConnection} per connection), on both sides` : '; no prepared statements'}`;
}

export function renderMarkdown(r: BenchResults): string {
  const s = r.dataset.sizes as Record<string, unknown>;
  const lines: string[] = [];
  lines.push(
    `Run ${r.date.slice(0, 16).replace('T', ' ')} UTC on ${machineLine(r)}; total ${Math.round(r.totalSeconds)} s; ` +
      `load average ${f(r.machine.loadAvgStart, 2)} at the start, ${f(r.machine.loadAvgEnd, 2)} at the end.`,
  );
  lines.push('');
  lines.push(
    `Data set (generated in ${f(r.dataset.setupSeconds, 0)} s, as of ${r.dataset.today}): ${s.agencies} agencies (1 province, ${s.cities} cities, ${s.branches} branches/counties), ` +
      `${s.units} units, ${s.catalogues} catalogues × ${s.itemsPerCatalogue} items = ${s.catalogueItems} items (years ${(s.catalogueYears as number[]).join(', ')}), ` +
      `${s.publications} publications. ` +
      (r.dataset.rebuildFigures.present
        ? `rebuildFigures: ${r.dataset.rebuildFigures.error ? `failed (${r.dataset.rebuildFigures.error.slice(0, 120)})` : `${f((r.dataset.rebuildFigures.ms ?? 0) / 1000, 1)} s`}.`
        : 'rebuildFigures: not present.') +
      ` Figures: ${r.dataset.figures}.`,
  );
  const p = s.plans as PlanSizes | undefined;
  if (p) {
    const kinds = Object.entries(p.byTiming).sort((a, b) => b[1] - a[1]).map(([k, n]) => `${n} ${k}`).join(', ');
    const dated = Object.entries(p.datedByOutcome).map(([k, n]) => `${n} ${k}`).join(', ');
    lines.push('');
    lines.push(
      `Tasks: ${p.workPlans} work plans (every agency, ${p.years.join(' and ')}), ${p.headings} headings, ${p.tasks} tasks (${kinds}; ${p.withdrawn} withdrawn, ${p.carriedOn} carried on from last year), ` +
        `${p.taskUnits.lead} lead and ${p.taskUnits.cooperating} cooperating unit assignments, ${p.progress.total} progress reports (${p.progress.counted} counted, ` +
        `${p.progress.workingDayEvents + p.progress.hourEvents} event occurrences of which ${p.progress.lateEvents} late, ${p.progress.notes} notes), ` +
        `${p.accepted} tasks accepted (${p.reviews.returned} returned first); dated tasks: ${dated}; counted periods ended: ${p.periodsEnded.met} met, ${p.periodsEnded.missed} missed.`,
    );
  }
  lines.push('');
  const cN = r.reads.find((x) => x.cN)?.cN?.concurrency ?? (r.config.concurrency as number | undefined) ?? 8;
  const warm = r.reads.map((x) => x.warmupRequests).filter((n): n is number => typeof n === 'number');
  const warmText = warm.length ? `after ${Math.min(...warm) === Math.max(...warm) ? warm[0] : `${Math.min(...warm)}–${Math.max(...warm)}`} unmeasured requests per side and scenario (warm-up), ` : '';
  lines.push(`Reads — service (GraphQL over HTTP) vs baseline (the same recorded statements replayed over \`pg\` + \`node:http\`, same gate), interleaved, ${warmText}ms p50 / p95 / max at concurrency 1, req/s at concurrency ${cN}; ratios are service ÷ baseline:`);
  lines.push('');
  lines.push(`| scenario | SQL/req | service c=1 | baseline c=1 | latency × (p50) | service c=${cN} | baseline c=${cN} | throughput × | n (c=1 / c=${cN}) |`);
  lines.push('| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const x of r.reads) {
    if (!x.ok) {
      lines.push(`| ${x.title} | ${x.sqlPerRequest ?? '–'} | **failed**: ${(x.error ?? '').replace(/\|/g, '\\|').replace(/\s+/g, ' ').slice(0, 160)} | | | | | | |`);
      continue;
    }
    lines.push(
      `| ${x.title} | ${x.sqlPerRequest ?? '–'} | ${triple(x.c1?.service)} | ${triple(x.c1?.baseline)} | ${f(x.c1?.latencyRatioP50, 2)} | ` +
        `${f(x.cN?.service.rps)} | ${f(x.cN?.baseline.rps)} | ${f(x.cN?.throughputRatio, 2)} | ${x.c1?.service.n ?? 0}${x.c1?.capped ? '*' : ''} / ${x.cN?.service.requests ?? 0}${x.cN?.capped ? '*' : ''} |`,
    );
  }
  lines.push('');
  lines.push('`*` = stopped by the per-phase time cap before the configured number of requests.');
  lines.push('');
  // The issue's targets: as recorded with the run, else as the scenarios define them now (a results
  // file from before a target was written down is judged against it when re-rendered).
  const defined = new Map(READ_SCENARIOS.map((sc) => [sc.id, sc]));
  const targets = r.reads
    .map((x) => ({ x, p95: x.targetP95Ms ?? defined.get(x.id)?.targetP95Ms, ratios: x.targetRatios ?? defined.get(x.id)?.targetRatios }))
    .filter((t) => t.p95 !== undefined || t.ratios !== undefined);
  if (targets.length) {
    lines.push("Targets — the service's p95 at concurrency 1, and its ratios to the raw baseline (latency p50 at 1, throughput at " + cN + '):');
    lines.push('');
    lines.push('| scenario | target | service | met | baseline | replays the service\'s statement |');
    lines.push('| --- | --- | --- | --- | --- | --- |');
    const verdict = (x: ReadResult, value: number | undefined, ok: (v: number) => boolean) =>
      !x.ok || value === undefined ? '**failed**' : ok(value) ? 'yes' : '**no**';
    for (const { x, p95, ratios } of targets) {
      const same = x.replaysServiceStatement === undefined ? '–' : x.replaysServiceStatement ? 'yes' : '**no**';
      if (p95 !== undefined) {
        const v = x.c1?.service.p95;
        lines.push(`| ${x.title} | p95 ≤ ${p95} ms | ${f(v)} ms | ${verdict(x, v, (n) => n <= p95)} | ${f(x.c1?.baseline.p95)} ms | ${same} |`);
      }
      if (ratios !== undefined) {
        const lat = x.c1?.latencyRatioP50;
        const thr = x.cN?.throughputRatio;
        lines.push(`| ${x.title} | latency ≤ ${ratios.latency}× | ${f(lat, 2)}× (${f(x.c1?.service.p50)} ms) | ${verdict(x, lat, (n) => n <= ratios.latency)} | ${f(x.c1?.baseline.p50)} ms | ${same} |`);
        lines.push(`| ${x.title} | throughput ≥ ${ratios.throughput}× | ${f(thr, 2)}× (${f(x.cN?.service.rps)} req/s) | ${verdict(x, thr, (n) => n >= ratios.throughput)} | ${f(x.cN?.baseline.rps)} req/s | ${same} |`);
      }
    }
    lines.push('');
  }
  if (r.gate.length) {
    lines.push('Gate cost — the same replayed statements as the table owner (no role switch; superuser bypasses RLS) vs under the gate, interleaved, ms p50 of SQL time (and of the whole replay request):');
    lines.push('');
    lines.push('| statements of | owner SQL p50 | gate SQL p50 | gate ÷ owner (target ≤ 1.1) | owner request p50 | gate request p50 | n |');
    lines.push('| --- | --- | --- | --- | --- | --- | --- |');
    for (const g of r.gate) {
      if (!g.ok) {
        lines.push(`| ${g.id} | **failed**: ${(g.error ?? '').replace(/\|/g, '\\|').slice(0, 160)} | | | | | |`);
        continue;
      }
      lines.push(
        `| ${g.id} | ${f(g.owner?.sqlMs.p50, 2)} | ${f(g.gate?.sqlMs.p50, 2)} | ${f(g.ratioSqlP50, 2)}${g.sameResults === false ? ' †' : (g.ratioSqlP50 ?? 1) < 0.9 ? ' ‡' : ''} | ${f(g.owner?.latency.p50, 2)} | ${f(g.gate?.latency.p50, 2)} | ${g.owner?.sqlMs.n ?? 0}${g.capped ? '*' : ''} |`,
      );
    }
    if (r.gate.some((g) => g.sameResults === false)) {
      lines.push('');
      lines.push('† owner and gate replays return different rows: the statements leave the scoping to row-level security, so as the owner they read the whole tree — not a like-for-like comparison.');
    }
    if (r.gate.some((g) => g.sameResults !== false && (g.ratioSqlP50 ?? 1) < 0.9)) {
      lines.push('');
      lines.push('‡ faster under the gate than as the owner, with the same rows: the statements lean on row-level security to narrow what they read, so as the owner they read more (EXPLAIN both with `BENCH_EXPLAIN_DIR`) — not a like-for-like comparison.');
    }
    lines.push('');
  }
  if (r.recompute?.length) {
    lines.push('Maintained figures vs recomputation — the roll-up statement the service runs (MAINTAINED) and the same roll-up recomputed from every publication (REFERENCE, what it did before), built by `complianceService.rollupStatement`, alternating on one connection under the gate, ms:');
    lines.push('');
    lines.push('| roll-up | maintained p50 / p95 | recomputation p50 / p95 | maintained ÷ recomputation (target ≤ 0.1) | same rows | n |');
    lines.push('| --- | --- | --- | --- | --- | --- |');
    for (const x of r.recompute) {
      lines.push(`| ${x.id} | ${f(x.maintainedMs.p50)} / ${f(x.maintainedMs.p95)} | ${f(x.referenceMs.p50)} / ${f(x.referenceMs.p95)} | ${f(x.ratioP50, 3)} | ${x.sameRows ? 'yes' : '**no**'} | ${x.maintainedMs.n} |`);
    }
    lines.push('');
  }
  if (r.recomputeCompletion?.length) {
    lines.push(
      'Task figures vs recomputation — `completionService.rollupStatement` (the SQL of `completionRollup`) over `figure_task_agency*` and the same statement over their `_reference` views ' +
        '(recomputed from plan_task, task_progress and work_plan; owner-only views, so both as the owner), alternating on one connection, ms:',
    );
    lines.push('');
    lines.push('| roll-up | maintained p50 / p95 | recomputation p50 / p95 | maintained ÷ recomputation | same rows | n |');
    lines.push('| --- | --- | --- | --- | --- | --- |');
    for (const x of r.recomputeCompletion) {
      lines.push(`| ${x.id} | ${f(x.maintainedMs.p50)} / ${f(x.maintainedMs.p95)} | ${f(x.referenceMs.p50)} / ${f(x.referenceMs.p95)} | ${f(x.ratioP50, 3)} | ${x.sameRows ? 'yes' : '**no**'} | ${x.maintainedMs.n} |`);
    }
    lines.push('');
  }
  const w = r.writes;
  lines.push(
    `Write cost — one publication walked through create → submit → review → sign-off (unit head, leader) → publish over GraphQL; ` +
      (w.triggers.length ? `figure triggers (${w.triggers.join(', ')}) enabled vs disabled, interleaved:` : `**no \`figures_*\` triggers found** (${w.note ?? 'nothing to disable'}):`),
  );
  lines.push('');
  if (!w.ok) {
    lines.push(`**failed**: ${w.error}`);
  } else if (w.c1) {
    const steps = Object.keys(w.c1.enabled.steps);
    lines.push(`| step | SQL | triggers on p50 / p95 | triggers off p50 / p95 | on ÷ off (p50) |`);
    lines.push('| --- | --- | --- | --- | --- |');
    for (const st of steps) {
      const on = w.c1.enabled.steps[st];
      const off = w.c1.disabled?.steps[st];
      lines.push(`| ${st} | ${w.c1.enabled.sqlPerStep[st] ?? '–'} | ${f(on?.p50)} / ${f(on?.p95)} | ${off ? `${f(off.p50)} / ${f(off.p95)}` : '–'} | ${off && on ? f(on.p50 / off.p50, 2) : '–'} |`);
    }
    const on = w.c1.enabled.walk;
    const off = w.c1.disabled?.walk;
    lines.push(
      `| **whole walk** (c=1, n=${on.n}) | | ${f(on.p50)} / ${f(on.p95)} | ${off ? `${f(off.p50)} / ${f(off.p95)}` : '–'} | ${f(w.c1.ratioWalkP50, 2)} (mean ${f(w.c1.ratioWalkMean, 2)}; target ≤ 1.2) |`,
    );
    if (w.cN) {
      lines.push(
        `| walks/s at c=${w.cN.concurrency} (same unit) | | ${f(w.cN.enabled.walksPerSecond, 2)} | ${w.cN.disabled ? f(w.cN.disabled.walksPerSecond, 2) : '–'} | ${w.cN.ratio != null ? `${f(w.cN.ratio, 2)} (off ÷ on)` : '–'} |`,
      );
    }
  }
  lines.push('');
  const m = r.memory;
  if (m) {
    lines.push(
      m.ok
        ? `Memory of the server process over ${m.requests} mixed read requests (${Math.round(m.seconds)} s${m.capped ? ', time-capped' : ''}; ${m.gcAvailable ? 'after a forced GC' : 'no --expose-gc'}): ` +
            `heap ${f(m.afterWarmup.heapUsedMb)} → ${f(m.atEnd.heapUsedMb)} MB (${m.heapGrowthPct >= 0 ? '+' : ''}${f(m.heapGrowthPct)} %), ` +
            `RSS ${f(m.afterWarmup.rssMb)} → ${f(m.atEnd.rssMb)} MB (${m.rssGrowthPct >= 0 ? '+' : ''}${f(m.rssGrowthPct)} %) — ` +
            `${Math.abs(m.heapGrowthPct) <= 5 ? 'flat' : '**not flat** (heap moved more than 5 %)'}.`
        : `Memory run **failed**: ${m.error}`,
    );
  }
  return lines.join('\n');
}

export const README_START = '<!-- bench:start -->';
export const README_END = '<!-- bench:end -->';

/** Replaces the block between the markers in README.md; returns false when the markers are missing. */
export function updateReadmeBlock(readmePath: string, r: BenchResults): boolean {
  const text = fs.readFileSync(readmePath, 'utf8');
  const start = text.indexOf(README_START);
  const end = text.indexOf(README_END);
  if (start < 0 || end < start) return false;
  const block = `${README_START}\n${renderMarkdown(r)}\n${README_END}`;
  fs.writeFileSync(readmePath, text.slice(0, start) + block + text.slice(end + README_END.length));
  return true;
}

export const RESULTS_PATH = path.join(__dirname, 'results.json');
export const README_PATH = path.join(__dirname, '..', 'README.md');

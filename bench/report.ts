import type { Environment } from './environment.js';
import type { LoadResult } from './load.js';
import type { StartupResult } from './startup.js';
import type { EngineResult } from './suite.js';
import { round } from './support.js';

export interface Figure {
  name: string;
  /** The number the goal is checked against; null when the phase did not run or failed. */
  value: number | null;
  unit: string;
  /** Shown instead of `value unit` when the figure needs context. */
  display?: string;
  goal?: { op: '>=' | '<=' | '='; value: number };
}

const met = (figure: Figure): boolean | null => {
  if (!figure.goal || figure.value === null || Number.isNaN(figure.value)) return null;
  const { op, value } = figure.goal;
  return op === '>=' ? figure.value >= value : op === '<=' ? figure.value <= value : figure.value === value;
};

export function figuresFor(results: {
  /** At the start and at the end of the run. */
  environment: [Environment, Environment];
  startup?: StartupResult;
  ceiling?: LoadResult;
  engines: EngineResult[];
}): Figure[] {
  const figures: Figure[] = [];
  const { ceiling, startup } = results;
  figures.push(
    {
      name: 'ceiling: bare Fastify POST, req/s',
      value: ceiling ? round(ceiling.okPerSec, 0) : null,
      unit: 'req/s',
    },
    { name: 'ceiling: p99', value: ceiling?.latency.p99 ?? null, unit: 'ms' },
  );
  for (const engine of results.engines) {
    const e = engine.engine;
    const ingest = engine.ingest;
    const ratio = ingest && ceiling ? round((100 * ingest.load.okPerSec) / ceiling.okPerSec) : null;
    figures.push(
      { name: `${e}: sale ingest`, value: ingest ? round(ingest.load.okPerSec, 0) : null, unit: 'sales/s' },
      { name: `${e}: sale ingest p99`, value: ingest?.load.latency.p99 ?? null, unit: 'ms' },
      {
        name: `${e}: sales fully applied (ingest + drain)`,
        value: ingest ? round(ingest.appliedPerSec, 0) : null,
        unit: 'sales/s',
      },
      { name: `${e}: ingest / ceiling`, value: ratio, unit: '%', goal: { op: '>=', value: 30 } },
    );
    if (ingest) {
      const lost = ingest.missing + ingest.duplicates;
      const anyCreated = ingest.created > 0;
      figures.push({
        name: `${e}: 201s vs sales stored`,
        // No sale at all cannot count as "none lost": -1 fails the goal.
        value: anyCreated ? lost : -1,
        unit: 'lost or doubled',
        display: anyCreated
          ? `${ingest.created} vs ${ingest.stored - ingest.storedWithoutAnswer}` +
            (ingest.storedWithoutAnswer
              ? ` (+${ingest.storedWithoutAnswer} in flight at stop` +
                (ingest.load.timeouts ? ` or timed out at the client (${ingest.load.timeouts})` : '') +
                ')'
              : '') +
            (lost ? ` — ${ingest.missing} LOST, ${ingest.duplicates} DOUBLED` : '')
          : `no 201 at all (${JSON.stringify(ingest.load.byStatus)})`,
        goal: { op: '=', value: 0 },
      });
    }
    const propagation = engine.propagation;
    figures.push(
      {
        name: `${e}: propagation p50 (201 → storefront)`,
        value: propagation ? round(propagation.propagationMs.p50) : null,
        unit: 'ms',
      },
      {
        name: `${e}: propagation p99 (201 → storefront)`,
        value: propagation ? round(propagation.propagationMs.p99) : null,
        unit: 'ms',
        goal: { op: '<=', value: 50 },
      },
      {
        name: `${e}: paced sales achieved`,
        value: propagation ? round(propagation.achievedPerSec, 0) : null,
        unit: 'sales/s',
        ...(propagation
          ? {
              display:
                `${round(propagation.achievedPerSec, 0)} of ${propagation.targetPerSec} sales/s` +
                (propagation.shed ? `, ${propagation.shed} shed` : '') +
                (propagation.notSeen ? `, ${propagation.notSeen} samples never seen` : ''),
            }
          : {}),
        goal: { op: '>=', value: 0.98 * (propagation?.targetPerSec ?? 1000) },
      },
    );
    const below = engine.propagationBelowCapacity;
    if (below) {
      figures.push({
        name: `${e}: propagation p50 / p99 at ${below.targetPerSec} sales/s`,
        value: round(below.propagationMs.p99),
        unit: 'ms',
        display:
          `${round(below.propagationMs.p50)} / ${round(below.propagationMs.p99)} ms ` +
          `(${round(below.achievedPerSec, 0)} sales/s achieved)`,
      });
    }
    if (e === 'embedded') {
      figures.push(
        {
          name: 'embedded: idle RSS, demo chain',
          value: round(engine.idle.tillstream?.rssMb ?? NaN),
          unit: 'MB',
          goal: { op: '<=', value: 150 },
        },
        {
          name: 'embedded: peak RSS (VmHWM) through ingest',
          value: ingest ? round(ingest.peakMb.tillstream ?? NaN) : null,
          unit: 'MB',
          goal: { op: '<=', value: 400 },
        },
      );
    } else if (ingest) {
      figures.push({
        name: `${e}: idle RSS per service, demo chain`,
        value: round(Math.max(...Object.values(engine.idle).map((memory) => memory.rssMb))),
        unit: 'MB',
        display:
          Object.entries(engine.idle)
            .map(([name, memory]) => `${name} ${round(memory.rssMb, 0)}`)
            .join(', ') + ' MB',
      });
      figures.push({
        name: `${e}: peak RSS per service through ingest`,
        value: round(Math.max(...Object.values(ingest.peakMb))),
        unit: 'MB',
        display:
          Object.entries(ingest.peakMb)
            .map(([name, mb]) => `${name} ${round(mb, 0)}`)
            .join(', ') + ' MB',
      });
    }
  }
  figures.push(
    {
      name: 'embedded: idle RSS, fresh data dir',
      value: startup ? round(startup.idle.rssMb) : null,
      unit: 'MB',
      goal: { op: '<=', value: 150 },
    },
    {
      name: 'start-up to /healthz, first after a build (no code cache yet)',
      value: startup ? round(startup.firstMs, 0) : null,
      unit: 'ms',
      goal: { op: '<=', value: 2000 },
    },
    {
      name: `start-up to /healthz, median of the next ${startup?.runsMs.length ?? 0}`,
      value: startup ? round(startup.medianMs, 0) : null,
      unit: 'ms',
      ...(startup
        ? {
            display: `${round(startup.medianMs, 0)} ms (${startup.runsMs.map((ms) => round(ms, 0)).join(', ')})`,
          }
        : {}),
    },
  );
  const [atStart, atEnd] = results.environment;
  figures.push(
    {
      name: "machine: fsync'd SQLite commits (start / end)",
      value: Math.min(atStart.fsyncCommitsPerSec, atEnd.fsyncCommitsPerSec),
      unit: '/s',
      display: `${atStart.fsyncCommitsPerSec} / ${atEnd.fsyncCommitsPerSec} /s`,
    },
    {
      name: 'machine: CPU pressure, load average (start / end)',
      value: Math.max(atStart.cpuPressurePercent ?? 0, atEnd.cpuPressurePercent ?? 0),
      unit: '%',
      display:
        `${atStart.cpuPressurePercent ?? 'n/a'} / ${atEnd.cpuPressurePercent ?? 'n/a'} %, ` +
        `${atStart.loadAverage[0]} / ${atEnd.loadAverage[0]}`,
    },
  );
  return figures;
}

const MARK = { true: 'ok', false: 'MISS', null: '' } as const;

export function printTable(figures: readonly Figure[]): void {
  const rows = figures.map((figure) => [
    figure.name,
    figure.value === null || Number.isNaN(figure.value)
      ? 'n/a'
      : (figure.display ?? `${figure.value} ${figure.unit}`),
    figure.goal
      ? `${figure.goal.op === '=' ? '=' : figure.goal.op === '>=' ? '≥' : '≤'} ${round(figure.goal.value, 0)} ${figure.unit}`
      : '',
    MARK[String(met(figure)) as keyof typeof MARK],
  ]);
  const header = ['figure', 'value', 'goal', ''];
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => row[column]!.length)),
  );
  const line = (cells: string[]) =>
    `| ${cells.map((cell, column) => cell.padEnd(widths[column]!)).join(' | ')} |`;
  console.log(line(header));
  console.log(`|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`);
  for (const row of rows) console.log(line(row));
}

export const withVerdicts = (figures: readonly Figure[]) =>
  figures.map((figure) => ({ ...figure, met: met(figure) }));

import type { WeeklySchedule } from '@tillstream/contracts';

/** A fixed window as epoch milliseconds: `start` inclusive, `end` exclusive, either open. */
export interface Window {
  start: number;
  end: number;
}

export function compileWindow(startsAt: string | undefined, endsAt: string | undefined): Window {
  return {
    start: startsAt === undefined ? -Infinity : Date.parse(startsAt),
    end: endsAt === undefined ? Infinity : Date.parse(endsAt),
  };
}

export const inWindow = (window: Window, at: number) => window.start <= at && at < window.end;

interface Slot {
  days: ReadonlySet<number>;
  /** Minutes after local midnight; `to` is exclusive and may be 1440. */
  from: number;
  to: number;
}

/** A weekly schedule ready to match: its zone's formatter is built once (it is the expensive part). */
export interface CompiledSchedule {
  timeZone: string;
  format: Intl.DateTimeFormat;
  slots: Slot[];
  /** The last minute looked up and its local time: quotes come in bursts within the same minute. */
  memo: { minute: number; local: LocalTime } | null;
}

const WEEKDAYS: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };
const minutesOf = (clock: string) => Number(clock.slice(0, 2)) * 60 + Number(clock.slice(3, 5));

export function compileSchedule(schedule: WeeklySchedule): CompiledSchedule {
  return {
    timeZone: schedule.timeZone,
    format: new Intl.DateTimeFormat('en-US', {
      timeZone: schedule.timeZone,
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }),
    slots: schedule.slots.map((slot) => ({
      days: new Set(slot.days),
      from: minutesOf(slot.from),
      to: minutesOf(slot.to),
    })),
    memo: null,
  };
}

/** ISO weekday (1 = Monday) and minute of the day at an instant, in the schedule's zone. */
export interface LocalTime {
  day: number;
  minute: number;
}

export function localTime(schedule: CompiledSchedule, at: number): LocalTime {
  // Every zone in use today is offset by whole minutes, so one UTC minute is one local minute.
  const utcMinute = Math.floor(at / 60_000);
  if (schedule.memo?.minute === utcMinute) return schedule.memo.local;
  let day = 0;
  let hour = 0;
  let minute = 0;
  for (const part of schedule.format.formatToParts(at)) {
    if (part.type === 'weekday') day = WEEKDAYS[part.value] ?? 0;
    else if (part.type === 'hour') hour = Number(part.value);
    else if (part.type === 'minute') minute = Number(part.value);
  }
  const local = { day, minute: hour * 60 + minute };
  schedule.memo = { minute: utcMinute, local };
  return local;
}

const previousDay = (day: number) => (day === 1 ? 7 : day - 1);

/**
 * Whether local time falls in a slot. `from` is inclusive and `to` exclusive. Equal `from` and `to` means the
 * whole day. A slot with `to` before `from` starts on a listed day and runs past midnight into the next one,
 * so Friday 22:00–02:00 also matches Saturday 01:30.
 */
export function inSchedule(schedule: CompiledSchedule, local: LocalTime): boolean {
  return schedule.slots.some((slot) => {
    if (slot.from === slot.to) return slot.days.has(local.day);
    if (slot.from < slot.to)
      return slot.days.has(local.day) && slot.from <= local.minute && local.minute < slot.to;
    return (
      (slot.days.has(local.day) && local.minute >= slot.from) ||
      (slot.days.has(previousDay(local.day)) && local.minute < slot.to)
    );
  });
}

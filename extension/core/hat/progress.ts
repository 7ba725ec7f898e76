/**
 * Live output of a run: lines from chunks (partial lines, CRLF, carriage-return progress bars) and a progress/ETA
 * estimate from the training log's `Remaining Time` (or predict's `i / N`). Pure.
 */
import type { TrainProgress } from '../logs/parse';
import { parseLog } from '../logs/parse';

export class LineSplitter {
  private rest = '';
  /** Feed a chunk; returns the complete lines in it (without terminators). */
  push(chunk: string): string[] {
    const text = this.rest + chunk;
    const parts = text.split(/\r\n|\n|\r(?!$)/);
    // A trailing '\r' may be the first half of '\r\n': keep it pending.
    this.rest = parts.pop() ?? '';
    return parts;
  }
  /** The last, unterminated line (at the end of the output). */
  flush(): string[] {
    const r = this.rest.replace(/\r$/, '');
    this.rest = '';
    return r ? [r] : [];
  }
}

export interface Eta {
  /** 0..1 when known. */
  fraction?: number;
  remainingSeconds?: number;
  /** e.g. "epoch 3, steps 1200-1299 · 4.25 samples/s · 1:02:03 left" */
  text: string;
}

export function clock(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${String(sec).padStart(2, '0')}` : `${m}:${String(sec).padStart(2, '0')}`;
}

/** Follows a run's lines and estimates how far it is. */
export class EtaTracker {
  private train?: TrainProgress;
  private trainAt = 0;
  private predict?: { done: number; total: number };
  private predictFirst?: { done: number; at: number };
  private predictAt = 0;
  stage?: string;

  constructor(private readonly startedAt: number) {}

  /** Feed one output line; true when the estimate changed. */
  line(text: string, now: number): boolean {
    if (!/Remaining Time|\d+\s*\/\s*\d+|BEGIN/.test(text)) return false;
    const r = parseLog(text);
    let changed = false;
    if (r.stage && r.stage !== this.stage) {
      this.stage = r.stage;
      changed = true;
    }
    const p = r.progress[r.progress.length - 1];
    if (p && p.remainingSeconds !== undefined) {
      this.train = p;
      this.trainAt = now;
      changed = true;
    }
    if (r.predictProgress && r.predictProgress.total > 0) {
      this.predict = r.predictProgress;
      this.predictAt = now;
      if (!this.predictFirst || r.predictProgress.done < this.predictFirst.done) this.predictFirst = { done: r.predictProgress.done, at: now };
      changed = true;
    }
    return changed;
  }

  estimate(now: number): Eta | undefined {
    const useTrain = this.train && (!this.predict || this.trainAt >= this.predictAt);
    if (useTrain && this.train) {
      const t = this.train;
      // Elapsed at the report plus what HAT said remained then is the whole run; count down from there.
      const elapsedAtReport = Math.max(0, (this.trainAt - this.startedAt) / 1000);
      const total = elapsedAtReport + (t.remainingSeconds ?? 0);
      const elapsedNow = Math.max(0, (now - this.startedAt) / 1000);
      const remaining = Math.max(0, total - elapsedNow);
      const fraction = total > 0 ? Math.min(1, elapsedNow / total) : undefined;
      const bits = [`epoch ${t.epoch}${t.stepTo !== undefined ? `, steps ${t.stepFrom ?? '?'}-${t.stepTo}` : ''}`];
      if (t.samplesPerSec !== undefined) bits.push(`${t.samplesPerSec} samples/s`);
      bits.push(`${clock(remaining)} left`);
      return { fraction, remainingSeconds: remaining, text: bits.join(' · ') };
    }
    if (this.predict) {
      const { done, total } = this.predict;
      const fraction = Math.min(1, done / total);
      let remainingSeconds: number | undefined;
      const first = this.predictFirst;
      if (first && done > first.done && this.predictAt > first.at) {
        const rate = (done - first.done) / ((this.predictAt - first.at) / 1000);
        remainingSeconds = Math.max(0, (total - done) / rate - (now - this.predictAt) / 1000);
      }
      return { fraction, remainingSeconds, text: `${done} / ${total}${remainingSeconds !== undefined ? ` · ${clock(remainingSeconds)} left` : ''}` };
    }
    return undefined;
  }
}

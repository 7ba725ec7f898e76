/** `mixvargenet_measure`: CPU latency of the config's network (onnxruntime in a child process; trusted workspaces only). */
import { msFigure } from '../../core/format';
import { MEASURE_NOTE } from '../../ort/measure';
import { type AgentTool, analysedConfig, type FileInput, json, label, optionalInt, requireTrust, result } from './shared';

export interface MeasureInput extends FileInput {
  threads?: number;
  batch?: number;
}

const ms = (x: number) => Number(msFigure(x));

export const measureTool: AgentTool<MeasureInput> = {
  name: 'mixvargenet_measure',
  async prepare(input) {
    return { invocationMessage: `Measuring the CPU latency of ${input.file ?? 'the active config'} (onnxruntime)` };
  },
  async invoke(input, { manager, perf }, token) {
    requireTrust();
    const threads = optionalInt(input, 'threads', 0, 64);
    const batch = optionalInt(input, 'batch', 1, 256);
    const { doc } = await analysedConfig(input, manager);
    const file = label(doc.uri);
    const r = await perf.measure(doc, { silent: true, threads, batch }, token);
    if (token.isCancellationRequested) throw new Error('cancelled: the measurement was stopped');
    if (!r.ok) throw new Error(`cannot measure ${file}: ${r.error}`);
    const parts = [
      ...(r.stem ? [{ part: 'stem', ms: ms(r.stem.latencyMs), share: Math.round(r.stem.share * 1000) / 1000 }] : []),
      ...r.stages.map((s) => ({ part: `stage ${s.index}`, ms: ms(s.latencyMs), share: Math.round(s.share * 1000) / 1000 })),
      ...(r.head ? [{ part: 'head', ms: ms(r.head.latencyMs), share: Math.round(r.head.share * 1000) / 1000 }] : []),
    ];
    return result(
      `${file}: ${msFigure(r.latencyMs.median)} ms median (p90 ${msFigure(r.latencyMs.p90)} ms, min ${msFigure(r.latencyMs.min)} ms), ${r.fps.toFixed(1)} FPS at batch ${r.batch} on this CPU with ${r.threads} thread(s), onnxruntime-node ${r.ortVersion}${r.fromCache ? `, from the result cache (measured ${r.measuredAt})` : ''}. ${MEASURE_NOTE}`,
      json({
        medianMs: ms(r.latencyMs.median),
        p90Ms: ms(r.latencyMs.p90),
        minMs: ms(r.latencyMs.min),
        fps: Math.round(r.fps * 10) / 10,
        batch: r.batch,
        threads: r.threads,
        gmacPerSec: r.gmacPerSec === null ? null : Math.round(r.gmacPerSec * 100) / 100,
        perPart: parts,
        otherBatches: (r.batches ?? []).filter((b) => b.batch !== r.batch).map((b) => ({ batch: b.batch, medianMs: ms(b.latencyMs.median), fps: Math.round(b.fps * 10) / 10 })),
      }),
    );
  },
};

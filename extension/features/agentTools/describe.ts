/** `mixvargenet_describe`: the network a config builds — stages, shapes, params, MACs, their shares, the fusion routing. */
import { networkSummaryMarkdown } from '../../core/ide/summary';
import type { AnalysisSnapshot } from '../../core/ide/snapshot';
import { type AgentTool, analysedConfig, type FileInput, json, label, result } from './shared';

/** A share of a total, 0..1 to 4 places (null when either is unknown). */
function share(part: number | null, total: number | null): number | null {
  return part === null || total === null || total === 0 ? null : Math.round((part / total) * 1e4) / 1e4;
}

/** The figures as numbers (the Markdown has them with separators): per part, with the fusion maps each head receives. */
function figures(s: AnalysisSnapshot, file: string): unknown {
  return {
    file,
    input: s.input,
    target: s.target,
    params: s.params,
    macs: s.macs,
    exact: s.exact,
    stem: s.stem && { outShape: s.stem.outShape, params: s.stem.params, macs: s.stem.macs },
    stages: s.stages.map((st) => ({
      index: st.index,
      channels: [st.inChannels, st.outChannels],
      outputStride: st.outputStride,
      outShape: st.outShape,
      ops: [st.headOp, ...st.stackOps],
      params: st.params,
      macs: st.macs,
      paramsShare: share(st.params, s.params),
      macsShare: share(st.macs, s.macs),
      fusionStrides: st.fusionStrides,
      receives: st.received === null ? 'a plain tensor' : st.received.map((m, i) => ({ position: i, fromStage: m.fromStage, scale: m.scale, channels: m.channels, shape: m.shape })),
      emits: st.emits.map((e) => ({ scale: e.scale, channels: e.channels, shape: e.shape })),
      ...(st.unknown.length ? { unknown: [...new Set(st.unknown)] } : {}),
    })),
    head: s.head && { outShape: s.head.cls.outShape, params: s.head.params, macs: s.head.macs },
    findings: s.counts,
  };
}

export const describeTool: AgentTool<FileInput> = {
  name: 'mixvargenet_describe',
  async prepare(input) {
    return { invocationMessage: `Describing the MixVarGENet network of ${input.file ?? 'the active config'}` };
  },
  async invoke(input, { manager }) {
    const { doc, snap } = await analysedConfig(input, manager);
    const file = label(doc.uri);
    if (!snap.stages.length) throw new Error(`${file} has no net_config with MixVarGENetConfig stages: there is no network to describe`);
    return result(networkSummaryMarkdown(snap, file), `Figures as JSON (params and MACs per image; the input shape N,C,H,W, the other shapes C,H,W; shares of the network's total, 0..1):\n${json(figures(snap, file))}`);
  },
};

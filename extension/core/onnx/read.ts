/** Read back what matters of an ONNX model (ours or anyone's): its input, outputs, nodes and conv weights. */
import { onnx } from 'onnx-proto';
import type { OnnxTensorInfo } from './build';

export interface OnnxNodeInfo {
  name: string;
  opType: string;
  inputs: string[];
  outputs: string[];
}

export interface OnnxModelInfo {
  irVersion: number;
  opset: number | null;
  /** Graph inputs that are not initializers. */
  inputs: OnnxTensorInfo[];
  outputs: OnnxTensorInfo[];
  nodes: OnnxNodeInfo[];
  /** Initializer name → dims. */
  initializers: Map<string, number[]>;
  metadata: Record<string, string>;
}

function num(v: number | { toNumber(): number } | null | undefined): number {
  if (v === null || v === undefined) return 0;
  return typeof v === 'number' ? v : v.toNumber();
}

function tensorInfo(v: onnx.IValueInfoProto): OnnxTensorInfo {
  const dims = v.type?.tensorType?.shape?.dim ?? [];
  return {
    name: v.name ?? '',
    dims: dims.map((d) => (d.dimParam ? d.dimParam : d.dimValue !== null && d.dimValue !== undefined ? num(d.dimValue as number) : '?')),
  };
}

export function readOnnx(bytes: Uint8Array): OnnxModelInfo {
  const m = onnx.ModelProto.decode(bytes);
  const g = m.graph;
  if (!g) throw new Error('the ONNX model has no graph');
  const initializers = new Map<string, number[]>();
  for (const t of g.initializer ?? []) initializers.set(t.name ?? '', (t.dims ?? []).map((d) => num(d as number)));
  const op = (m.opsetImport ?? []).find((o) => !o.domain);
  const metadata: Record<string, string> = {};
  for (const p of m.metadataProps ?? []) if (p.key) metadata[p.key] = p.value ?? '';
  return {
    irVersion: num(m.irVersion as number),
    opset: op ? num(op.version as number) : null,
    inputs: (g.input ?? []).filter((i) => !initializers.has(i.name ?? '')).map(tensorInfo),
    outputs: (g.output ?? []).map(tensorInfo),
    nodes: (g.node ?? []).map((n) => ({ name: n.name ?? '', opType: n.opType ?? '', inputs: n.input ?? [], outputs: n.output ?? [] })),
    initializers,
    metadata,
  };
}

/** The float32 initializers of a model (raw_data or float_data), by name. */
export function readFloatInitializers(bytes: Uint8Array): Map<string, { dims: number[]; data: Float32Array }> {
  const m = onnx.ModelProto.decode(bytes);
  const out = new Map<string, { dims: number[]; data: Float32Array }>();
  for (const t of m.graph?.initializer ?? []) {
    if (t.dataType !== onnx.TensorProto.DataType.FLOAT) continue;
    let data: Float32Array;
    if (t.rawData && t.rawData.length) {
      const copy = new Uint8Array(t.rawData); // aligned copy
      data = new Float32Array(copy.buffer, copy.byteOffset, copy.byteLength / 4);
    } else data = Float32Array.from(t.floatData ?? []);
    out.set(t.name ?? '', { dims: (t.dims ?? []).map((d) => num(d as number)), data });
  }
  return out;
}

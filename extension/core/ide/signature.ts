/** Signature help for `MixVarGENetConfig(`: the dataclass's fields, the active one, and what each means at this stage. */
import { FIELDS } from '../schema';
import { fmtShape } from '../format';
import { type IdeInput, configNames, fieldOfArg, fieldsGiven, isConfigCall, scanAt, stageFacts } from './locate';
import type { Frame } from './scan';
import { fieldMarkdown } from './completion';

export interface IdeSignature {
  label: string;
  documentation: string;
  parameters: { label: [number, number]; name: string; documentation: string }[];
  activeParameter: number;
  stage: number | null;
}

function defaultText(v: unknown): string {
  if (Array.isArray(v)) return v.length ? `[${v.join(', ')}]` : '()';
  return JSON.stringify(v);
}

/** The label and each parameter's [start, end) in it. */
export function configSignatureLabel(): { label: string; params: [number, number][] } {
  let label = 'MixVarGENetConfig(';
  const params: [number, number][] = [];
  FIELDS.forEach((f, i) => {
    if (i) label += ', ';
    const p = `${f.name}: ${f.pythonType}${f.required ? '' : ` = ${defaultText(f.default)}`}`;
    params.push([label.length, label.length + p.length]);
    label += p;
  });
  label += ')';
  return { label, params };
}

export function signatureHelp(inp: IdeInput): IdeSignature | null {
  const sc = scanAt(inp);
  if (sc.cursor.comment) return null;
  const names = configNames(inp.analysis);
  // The innermost config call around the cursor, and the argument of it the cursor is in.
  let call: Frame | null = null;
  let argIndex = sc.cursor.argIndex;
  for (let f: Frame | null = sc.cursor.frame, child: Frame | null = null; f; child = f, f = f.parent) {
    if (isConfigCall(f, names)) {
      call = f;
      argIndex = child ? child.argIndex : sc.cursor.argIndex;
      break;
    }
  }
  if (!call) return null;
  let field = fieldOfArg(call, argIndex);
  if (!field) {
    // After keyword arguments, an argument without a keyword yet: point at the first missing field.
    const given = fieldsGiven(call);
    field = FIELDS.find((f) => !given.has(f.name))?.name;
  }
  const { label, params } = configSignatureLabel();
  const facts = stageFacts(inp, sc, call);
  const parameters = FIELDS.map((f, i) => ({ label: params[i], name: f.name, documentation: fieldMarkdown(f.name, facts) ?? f.description }));
  const docParts: string[] = [];
  if (facts.index !== null) {
    docParts.push(
      `Stage ${facts.index}${facts.inShape ? ` · input ${fmtShape(facts.inShape)}` : ''}${facts.prev?.outChannels ? ` · previous stage outputs ${facts.prev.outChannels} channels` : ''}`,
    );
  }
  const active = field ? FIELDS.findIndex((f) => f.name === field) : -1;
  return {
    label,
    documentation: docParts.join('\n\n'),
    parameters,
    activeParameter: active,
    stage: facts.index,
  };
}

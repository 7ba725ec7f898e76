import { strict as assert } from 'node:assert';
import { bindConfigArgs, CONFIG_FIELD_ORDER, configFieldDefault } from '../../../extension/core/python/configCall';
import configSchema from '../../../schemas/mixvargenet-config.schema.json';
import type { CallArgs, Value } from '../../../extension/core/python/values';

const R = { start: 0, end: 0 };
const int = (v: number): Value => ({ k: 'int', v, r: R });

describe('MixVarGENetConfig fields and argument binding (configCall.ts)', () => {
  it("reads the fields' order and defaults from the schema", () => {
    assert.deepEqual(CONFIG_FIELD_ORDER, configSchema['x-order']);
    assert.deepEqual(configFieldDefault('stack_factor', R), int(1));
    assert.deepEqual(configFieldDefault('fusion_strides', R), { k: 'tuple', items: [], r: R }, "the dataclass's () (JSON's [])");
    assert.equal(configFieldDefault('in_channels', R), undefined, 'required fields have no default');
    assert.equal(configFieldDefault('nope', R), undefined);
  });

  it('binds positional arguments by order and keywords by name, recording what Python rejects', () => {
    const kw = (name: string, start: number) => ({ name, nameRange: { start, end: start }, argRange: { start, end: start } });
    const kwOrder = [kw('out_channels', 1), kw('strdie', 2), kw('stride', 3), kw('stride', 4)];
    const args: CallArgs = {
      pos: [int(8), int(16)],
      posNodes: [],
      kw: new Map(kwOrder.map((k) => [k.name, { value: int(k.nameRange.start), nameRange: k.nameRange, argRange: k.argRange }])),
      kwOrder,
      opaque: false,
      errorArgs: 0,
    };
    const b = bindConfigArgs(args);
    assert.deepEqual([...b.args.keys()], ['in_channels', 'out_channels', 'stride']);
    assert.deepEqual(b.duplicates.map((d) => [d.name, d.range.start]), [['out_channels', 1], ['stride', 4]]);
    assert.deepEqual(b.unknownKwargs.map((u) => u.name), ['strdie']);
    assert.deepEqual(b.extraPositional, []);
  });
});
